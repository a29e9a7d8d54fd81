/** Real pseudo-terminal pairs from socat for tests: one end for the host, one for the keypad. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SocatPair } from '../../../src/device/sim/socat-pair';

export interface PtyPair {
  socat: SocatPair;
  dir: string;
  hostPath: string;
  devicePath: string;
  /** Kills socat: for both ends, the cable is out. */
  unplug(): Promise<void>;
  /** Starts socat again with the same paths. */
  replug(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startPtyPair(): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'cordial-pty-'));
  const socat = new SocatPair({ hostLink: join(dir, 'host'), deviceLink: join(dir, 'keypad') });
  await socat.plug();
  return {
    socat,
    dir,
    hostPath: socat.hostPath,
    devicePath: socat.devicePath,
    unplug: () => socat.unplug(),
    replug: () => socat.plug(),
    async dispose() {
      await socat.unplug();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
