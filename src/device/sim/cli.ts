/**
 * npm run device:sim -- [--port PATH] [--baud N] [--state FILE] [--legacy] [--legacy-map NAME]
 *                       [--serial S] [--keys 4|5] [--link-dir DIR] [--retransmit-ms MS] [--no-press-age]
 * A rating keypad in a terminal. Without --port it makes a socat port pair and prints the end
 * Cordial should open. Keys 1–5 press; other commands: type help (see control.ts).
 */
import { mkdirSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { BAUD_RATES, LEGACY_PRESETS, type LegacyPreset } from '../config';
import { CONTROL_HELP, runControl, type SimulatorControls } from './control';
import { fileKeypadMemory } from './keypad-memory';
import { attachLegacyKeypad, legacyBytesFor } from './legacy-keypad';
import { attachKeypad } from './serial-attachment';
import { DEFAULT_IDENTITY } from './simulated-keypad';
import { SocatPair } from './socat-pair';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    baud: { type: 'string', default: '9600' },
    state: { type: 'string' },
    legacy: { type: 'boolean', default: false },
    'legacy-map': { type: 'string', default: 'ascii_1_to_5' },
    serial: { type: 'string', default: DEFAULT_IDENTITY.serial },
    keys: { type: 'string', default: '5' },
    'link-dir': { type: 'string' },
    'retransmit-ms': { type: 'string', default: '300' },
    // A revision 1 keypad: KEY without the press age, HELLO without feature bit 3.
    'no-press-age': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`device:sim: ${message}\n`);
  process.exit(2);
};

if (values.help) {
  say('usage: npm run device:sim -- [--port PATH] [--baud N] [--state FILE] [--legacy] [--legacy-map NAME] [--serial S] [--keys 4|5] [--no-press-age]');
  say(CONTROL_HELP);
  process.exit(0);
}
const baudRate = Number(values.baud);
if (!(BAUD_RATES as readonly number[]).includes(baudRate)) fail(`--baud must be one of ${BAUD_RATES.join(', ')}`);
const keyCount = Number(values.keys);
if (keyCount !== 4 && keyCount !== 5) fail('--keys must be 4 or 5');
if (!(values['legacy-map'] in LEGACY_PRESETS)) fail(`--legacy-map must be one of ${Object.keys(LEGACY_PRESETS).join(', ')}`);

let socat: SocatPair | null = null;
let devicePath = values.port;
if (!devicePath) {
  const dir = resolve(values['link-dir'] ?? join(tmpdir(), 'cordial-keypad-sim'));
  mkdirSync(dir, { recursive: true });
  socat = new SocatPair({ hostLink: join(dir, 'cordial-keypad'), deviceLink: join(dir, 'keypad-end') });
  await socat.plug().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  devicePath = socat.devicePath;
  say(`Cordial should open: ${socat.hostPath}`);
  say(`  settings: keypad = { driver: '${values.legacy ? 'legacy' : 'crk1'}', path: '${socat.hostPath}', baudRate: ${baudRate} }`);
}
const portPath = devicePath as string;
const stamp = () => new Date().toISOString().slice(11, 23);
const narrate = (line: string) => say(`${stamp()} ${line}`);

const unplug = async () => {
  if (!socat) return 'unplug needs the simulator’s own port pair (run without --port)';
  await socat.unplug();
  return 'cable pulled';
};
const replug = async () => {
  if (!socat) return 'replug needs the simulator’s own port pair (run without --port)';
  await socat.plug();
  return 'cable back in';
};

let controls: SimulatorControls;
let stopDevice: () => Promise<void>;
const quit = async () => {
  await stopDevice();
  await socat?.unplug();
  process.exit(0);
};

if (values.legacy) {
  const bytes = legacyBytesFor(values['legacy-map'] as LegacyPreset);
  const legacy = attachLegacyKeypad(portPath, baudRate, bytes);
  stopDevice = legacy.stop;
  const notHere = () => {
    say('not available for a single-byte keypad');
  };
  controls = {
    press: (key) => legacy.press(key),
    noise: (count) => legacy.noise(count),
    corruptNext: notHere, dropNext: notHere, delayAcks: notHere, withholdAcks: notHere, mute: notHere, powerCycle: notHere,
    fault: notHere,
    unplug, replug, quit,
    status: () => `single-byte keypad on ${portPath}, map ${values['legacy-map']}`,
  };
  say(`single-byte keypad (${values['legacy-map']}) on ${portPath} at ${baudRate} baud; keys 1-${bytes.size}`);
} else {
  const stateFile = values.state ?? join(homedir(), '.cordial', 'keypad-sim', `${values.serial}.json`);
  const attached = attachKeypad(portPath, baudRate, {
    identity: { serial: values.serial, keyCount: keyCount as 4 | 5 },
    memory: fileKeypadMemory(stateFile),
    retransmitMs: Number(values['retransmit-ms']),
    pressAge: !values['no-press-age'],
    log: narrate,
    onPortProblem: (problem) => narrate(problem),
  });
  const keypad = attached.keypad;
  stopDevice = attached.stop;
  controls = {
    press: (key) => {
      const result = keypad.press(key);
      return 'eventId' in result ? `pressed key ${key}: event ${result.eventId}` : `pressed key ${key}: dropped (queue full)`;
    },
    noise: (count) => keypad.sendNoise(count),
    corruptNext: () => keypad.corruptNext(),
    dropNext: () => keypad.dropNext(),
    delayAcks: (ms) => keypad.delayAcks(ms),
    withholdAcks: (n) => {
      keypad.withheldAcksPerPress = n;
    },
    mute: (on) => keypad.mute(on),
    fault: (code, detail) => keypad.reportFault(code, detail),
    powerCycle: () => keypad.powerCycle(),
    unplug, replug, quit,
    status: () =>
      [
        `keypad ${keypad.identity.serial} on ${portPath} at ${baudRate} baud, ${keypad.poweredOn ? 'powered' : 'no power (port closed)'}`,
        `presses waiting for an ACK: ${keypad.waiting}`,
        `mode: ${keypad.display.mode ?? '(not set)'}; display: ${keypad.display.lines.filter(Boolean).join(' | ') || '(empty)'}`,
        `state file: ${stateFile}`,
      ].join('\n'),
  };
  say(`CRK/1 keypad ${keypad.identity.serial} (${keyCount} keys) on ${portPath} at ${baudRate} baud; state in ${stateFile}`);
}

process.on('SIGINT', () => void quit());
process.on('SIGTERM', () => void quit());

const run = async (line: string) => {
  const reply = await runControl(line, controls);
  if (reply) say(reply);
};

if (process.stdin.isTTY) {
  say('keys 1-5 press · n noise · c corrupt next · d drop next · p power cycle · u unplug/replug · s status · q quit');
  process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  let plugged = true;
  const single: Record<string, string> = { n: 'noise 200', c: 'corrupt-next', d: 'drop-next', p: 'power-cycle', s: 'status', q: 'quit' };
  process.stdin.on('data', (text: string) => {
    for (const char of text) {
      if (char === '\u0003') void run('quit');
      else if (/^[1-9]$/.test(char)) void run(`key ${char}`);
      else if (char === 'u') {
        void run(plugged ? 'unplug' : 'replug');
        plugged = !plugged;
      } else if (single[char]) void run(single[char]);
    }
  });
} else {
  // Commands from a script: one after another, in order.
  let chain = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    chain = chain.then(() => run(line));
  });
}
