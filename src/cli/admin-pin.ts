/**
 * `set-admin-pin`: sets or replaces the admin PIN on this PC, with no screen involved. It is
 * how IT sets the first PIN (or a forgotten one) locally; the caller holds the data folder's
 * lock, so a running kiosk cannot overwrite it.
 */
import { loadConfig, saveConfig } from '../core/config';
import { hashPin } from '../core/pin';

const PIN_FORMAT = /^\d{6,12}$/;

export type PinOutcome = { ok: true; message: string; first: boolean } | { ok: false; message: string };

export async function setAdminPin(dataDir: string): Promise<PinOutcome> {
  const entered = await readNewPin();
  if (!entered.ok) return entered;
  const config = loadConfig(dataDir);
  const first = config.adminPinHash === null;
  saveConfig(dataDir, { ...config, adminPinHash: hashPin(entered.pin) });
  return {
    ok: true,
    first,
    message: first
      ? 'the admin PIN is set: open 系统设置 in the staff panel and type it'
      : 'the admin PIN was replaced: the old one no longer opens the settings',
  };
}

/** From the keyboard, typed twice and not shown; from a pipe, the first line (for scripts). */
async function readNewPin(): Promise<{ ok: true; pin: string } | { ok: false; message: string }> {
  let pin: string;
  if (process.stdin.isTTY) {
    pin = await askHidden('New admin PIN (6 to 12 digits): ');
    if (PIN_FORMAT.test(pin) && (await askHidden('The same PIN again: ')) !== pin) return { ok: false, message: 'the two PINs differ: nothing was changed' };
  } else {
    pin = await firstLineOfInput();
  }
  if (!PIN_FORMAT.test(pin)) return { ok: false, message: 'the admin PIN is 6 to 12 digits: nothing was changed' };
  return { ok: true, pin };
}

function askHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        // Enter ends the PIN; Ctrl+C and Ctrl+D give up with what was typed, which then fails the check.
        if (ch === '\r' || ch === '\n' || ch === '\u0003' || ch === '\u0004') {
          input.off('data', onData);
          input.setRawMode(false);
          input.pause();
          process.stderr.write('\n');
          resolve(ch === '\r' || ch === '\n' ? typed : '');
          return;
        }
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    input.on('data', onData);
  });
}

async function firstLineOfInput(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return (text.split(/\r?\n/)[0] ?? '').trim();
}
