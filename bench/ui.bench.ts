/**
 * The citizen screen's answer to a key press, in the browser shell: the time from the last
 * byte of a KEY frame written to the keypad's end of a real pseudo-terminal pair until the
 * citizen screen shows thanks (a MutationObserver in the page), over many presses; plus the
 * renderer bundle size (gzip).
 *
 *   npm run bench:ui            readable table
 *   npm run bench:ui -- --json  one JSON object
 *
 * Both ends read the same clock: performance.timeOrigin + performance.now(), in Node and in
 * the page, on one machine.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { SerialPort } from 'serialport';
import { build } from 'vite';
import { fileLog } from '../src/core/log';
import { attachKeypad } from '../src/device/sim/serial-attachment';
import { SocatPair } from '../src/device/sim/socat-pair';
import type { OpenSerialPort, SerialPortHandle } from '../src/device/transport/serial-port';
import { DEFAULT_RENDERER_DIR, startBrowserShell } from '../src/host/server';
import { launchBrowser } from '../test/e2e/support/browser';
import { printTable, round, summarize, wantsJson } from './support/stats';

const PRESSES = 200;
const WARM_UP = 5;
const KEY_CMD = 0x02;
const ROOT = join(DEFAULT_RENDERER_DIR, '..', '..');

const now = () => performance.timeOrigin + performance.now();

async function buildRenderer(): Promise<void> {
  // A production build whatever NODE_ENV says: React's development build is several times larger.
  process.env.NODE_ENV = 'production';
  await build({ configFile: join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'silent' });
}

function gzipKb(dir: string): number {
  const files = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
  return files(dir).reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0) / 1024;
}

/**
 * The keypad's serial port, reporting when a KEY frame's last byte has been written to the
 * pseudo-terminal (the write callback), not merely queued.
 */
function timedPort(onKeyWritten: (at: number) => void): OpenSerialPort {
  return (path, baudRate) =>
    new Promise<SerialPortHandle>((resolve, reject) => {
      const port = new SerialPort({ path, baudRate, autoOpen: false });
      let listeners: Parameters<SerialPortHandle['listen']>[0] = { data: () => {}, closed: () => {} };
      port.on('data', (chunk: Buffer) => listeners.data(chunk));
      port.on('close', (error: Error | null) => listeners.closed(error ?? null));
      port.open((error) => {
        if (error) return reject(error);
        resolve({
          path,
          write(bytes) {
            const key = bytes[4] === KEY_CMD;
            port.write(Buffer.from(bytes), () => key && onKeyWritten(now()));
          },
          close: () => new Promise<void>((done) => (port.isOpen ? port.close(() => done()) : done())),
          listen(next) {
            listeners = next;
          },
        });
      });
    });
}

/**
 * Resolves, in the page, with the moment the thanks screen enters the DOM. A script string,
 * not a function: tsx would wrap a function's inner names in a helper the page lacks.
 */
const ARM_THANKS_OBSERVER = `
  window.thanksAt = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (document.querySelector('[data-testid="thanks"]') === null) return;
      observer.disconnect();
      resolve(performance.timeOrigin + performance.now());
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  undefined;
`;

async function waitUntil(what: string, test: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Samples {
  total: number[];
  /** KEY written until the core published the thanks state (wire, driver, durable write). */
  core: number[];
}

async function measure(): Promise<Samples> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordial-bench-ui-'));
  const ptyDir = mkdtempSync(join(tmpdir(), 'cordial-bench-pty-'));
  const socat = new SocatPair({ hostLink: join(ptyDir, 'cordial'), deviceLink: join(ptyDir, 'keypad') });
  let keyWrittenAt: number | null = null;
  let armed = false;
  await socat.plug();
  const device = attachKeypad(socat.devicePath, 9600, {
    open: timedPort((at) => {
      // The first send of the press only: a retransmission is not a new press.
      if (armed) keyWrittenAt = at;
      armed = false;
    }),
  });
  await device.ready();
  writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ keypad: { driver: 'crk1', path: socat.hostPath, baudRate: 9600 } }));
  const shell = await startBrowserShell({ dataDir, keypad: 'config', demoSeed: true, log: fileLog(dataDir, false) });
  const browser = await launchBrowser();
  const samples: Samples = { total: [], core: [] };
  let publishedAt: number | null = null;
  shell.runtime.onEvent((event) => {
    if (event.type === 'snapshot' && event.snapshot.phase === 'thanks' && publishedAt === null) publishedAt = now();
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    await page.goto(shell.citizenUrl);
    await waitUntil('the keypad link', () => shell.kiosk.snapshot().keypad.link === 'online');
    const staff = (command: Record<string, unknown>) => {
      const r = shell.kiosk.execute(command, 'staff');
      if (!r.ok) throw new Error(`${String(command.type)}: ${r.error.message}`);
    };
    staff({ type: 'signInBadge', badgeId: 'BADGE-1001' });
    for (let i = 0; i < WARM_UP + PRESSES; i++) {
      staff({ type: 'openCase', itemCode: '340104-ZX-001' });
      staff({ type: 'finishCase', outcome: 'consultation' });
      await page.waitForSelector('[data-testid="rating-panel"]');
      await page.evaluate(ARM_THANKS_OBSERVER);
      keyWrittenAt = null;
      publishedAt = null;
      armed = true;
      const press = device.keypad.press(1 + (i % 3));
      if ('dropped' in press) throw new Error('the simulated keypad dropped a press');
      const shownAt = (await page.evaluate('window.thanksAt')) as number;
      await waitUntil('the KEY write to complete', () => keyWrittenAt !== null);
      if (i >= WARM_UP) {
        samples.total.push(shownAt - keyWrittenAt!);
        samples.core.push((publishedAt ?? Number.NaN) - keyWrittenAt!);
      }
    }
    await context.close();
  } finally {
    await browser.close();
    await shell.close();
    await device.stop();
    await socat.unplug();
    rmSync(ptyDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
  return samples;
}

await buildRenderer();
const bundleKb = gzipKb(DEFAULT_RENDERER_DIR);
const samples = await measure();
const latency = summarize(samples.total);
const core = summarize(samples.core);
const result = {
  press_to_thanks_p50_ms: round(latency.p50, 2),
  press_to_thanks_p99_ms: round(latency.p99, 2),
  bundle_gzip_kb: round(bundleKb, 1),
};
if (wantsJson()) {
  console.log(JSON.stringify(result));
} else {
  printTable('Citizen screen: keypad press to thanks (browser shell, CRK/1 over a PTY at 9600 baud)', [
    ['press → thanks p50', `${result.press_to_thanks_p50_ms} ms`, ''],
    ['press → thanks p99', `${result.press_to_thanks_p99_ms} ms`, 'target ≤ 50 ms'],
    ['  of which KEY → core published p50', `${round(core.p50, 2)} ms`, 'wire, driver, durable write'],
    ['  of which KEY → core published p99', `${round(core.p99, 2)} ms`, ''],
    ['presses measured', String(latency.n), `after ${WARM_UP} warm-up presses`],
    ['renderer bundle (gzip)', `${result.bundle_gzip_kb} KB`, 'target ≤ 300 KB'],
  ]);
}
