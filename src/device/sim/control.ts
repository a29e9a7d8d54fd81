/** The simulator's command language, one command per line: for people at a terminal and for test scripts. */

export interface SimulatorControls {
  press(key: number): string;
  noise(count: number): void;
  corruptNext(): void;
  dropNext(): void;
  delayAcks(ms: number): void;
  withholdAcks(perPress: number): void;
  mute(on: boolean): void;
  fault(code: number, detail: string): void;
  powerCycle(): void;
  unplug(): Promise<string>;
  replug(): Promise<string>;
  status(): string;
  quit(): Promise<void>;
}

export const CONTROL_HELP = [
  'key N            press rating key N (1-5)',
  'keys N N …       press several keys in a row',
  'noise N          send N random bytes',
  'corrupt-next     spoil the CRC of the next frame',
  'drop-next        lose the next frame',
  'delay-acks MS    acknowledge host commands MS ms late (0: at once)',
  'withhold-acks N  ignore the first N ACKs of every press (forces retransmissions)',
  'mute on|off      stop/resume acknowledging host commands',
  'fault CODE [TXT] report a fault (1 stuck key … 5 storage)',
  'power-cycle      restart the keypad (new HELLO)',
  'unplug / replug  pull / plug the cable (only when the simulator made the port pair)',
  'status           show queue, mode and display',
  'quit',
].join('\n');

/** Runs one command line and returns what to print. */
export async function runControl(line: string, sim: SimulatorControls): Promise<string> {
  const [command = '', ...args] = line.trim().split(/\s+/);
  const number = (index: number, min: number, max: number): number => {
    const value = Number(args[index]);
    if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${command} needs a whole number from ${min} to ${max}`);
    return value;
  };
  try {
    switch (command.toLowerCase()) {
      case '':
        return '';
      case 'key':
        return sim.press(number(0, 1, 255));
      case 'keys':
        return args.map((_, i) => sim.press(number(i, 1, 255))).join('\n');
      case 'noise':
        sim.noise(number(0, 1, 1_000_000));
        return `sent ${args[0]} noise bytes`;
      case 'corrupt-next':
        sim.corruptNext();
        return 'the next frame will have a bad CRC';
      case 'drop-next':
        sim.dropNext();
        return 'the next frame will be lost';
      case 'delay-acks':
        sim.delayAcks(number(0, 0, 60_000));
        return `host commands acknowledged after ${args[0]} ms`;
      case 'withhold-acks':
        sim.withholdAcks(number(0, 0, 100));
        return `the first ${args[0]} ACKs of each press will be ignored`;
      case 'mute': {
        const on = args[0] !== 'off';
        sim.mute(on);
        return on ? 'host commands are no longer acknowledged' : 'host commands are acknowledged again';
      }
      case 'fault':
        sim.fault(number(0, 1, 255), args.slice(1).join(' '));
        return `FAULT ${args[0]} queued`;
      case 'power-cycle':
        sim.powerCycle();
        return 'power cycled';
      case 'unplug':
        return await sim.unplug();
      case 'replug':
        return await sim.replug();
      case 'status':
        return sim.status();
      case 'quit':
      case 'exit':
        await sim.quit();
        return 'bye';
      case 'help':
        return CONTROL_HELP;
      default:
        return `unknown command "${command}"; type help`;
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
