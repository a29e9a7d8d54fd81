/**
 * npm run device:probe -- --port PATH [--baud N] [--legacy] [--record FILE] [--seconds N]
 * npm run device:probe -- --replay FILE
 * Shows what a keypad says, frame by frame, for IT installing or diagnosing a window.
 */
import { parseArgs } from 'node:util';
import { BAUD_RATES } from '../config';
import { startLiveProbe } from './live-probe';
import { replayFile } from './recording';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    baud: { type: 'string', default: '9600' },
    legacy: { type: 'boolean', default: false },
    record: { type: 'string' },
    replay: { type: 'string' },
    seconds: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

const say = (line: string) => process.stdout.write(`${line}\n`);
const fail = (message: string): never => {
  process.stderr.write(`device:probe: ${message}\n`);
  process.exit(1);
};

if (values.help || (!values.port && !values.replay)) {
  say('usage: npm run device:probe -- --port PATH [--baud N] [--legacy] [--record FILE] [--seconds N]');
  say('       npm run device:probe -- --replay FILE');
  process.exit(values.help ? 0 : 2);
}

if (values.replay) {
  try {
    const { lines, summary } = replayFile(values.replay);
    for (const line of lines) say(line);
    say(summary);
    process.exit(0);
  } catch (error) {
    fail(`cannot replay ${values.replay}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const baudRate = Number(values.baud);
if (!(BAUD_RATES as readonly number[]).includes(baudRate)) fail(`--baud must be one of ${BAUD_RATES.join(', ')}`);
const seconds = values.seconds === undefined ? null : Number(values.seconds);
if (seconds !== null && !(seconds > 0)) fail('--seconds must be a positive number');

const path = values.port as string;
say(`probing ${path} at ${baudRate} baud${values.record ? `, recording to ${values.record}` : ''}; Ctrl-C to stop`);
const probe = await startLiveProbe({ path, baudRate, legacy: values.legacy, record: values.record, print: say }).catch(
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);

const finish = async (code: number) => {
  await probe.stop();
  process.exit(code);
};
process.on('SIGINT', () => void finish(0));
process.on('SIGTERM', () => void finish(0));
if (seconds !== null) setTimeout(() => void finish(0), seconds * 1000);
void probe.closed.then((reason) => {
  say(reason);
  void finish(1);
});
