/**
 * The disk's physical floors, measured beside the code under test in the same folder and the
 * same run: a raw 64-byte append + fsync, and a raw in-place write of one press-journal slot
 * to a file opened with O_DSYNC, the write pattern the press journal itself uses.
 */
import { closeSync, constants, fdatasyncSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JOURNAL_SLOTS, JOURNAL_SLOT_BYTES } from '../../src/core/store/press-journal';

export interface Floors {
  /** Times one raw 64-byte append + fsync, in ms. */
  fsync(): number;
  /** Times one raw O_DSYNC write of a journal slot, in place, in ms. */
  dsync(): number;
  close(): void;
}

export function diskFloors(dir: string): Floors {
  const appendFd = openSync(join(dir, 'floor-fsync.bin'), 'a');
  const slotFile = join(dir, 'floor-dsync.bin');
  const init = openSync(slotFile, 'w');
  writeSync(init, Buffer.alloc(JOURNAL_SLOTS * JOURNAL_SLOT_BYTES));
  fsyncSync(init);
  closeSync(init);
  const dsyncFlag = (constants as { O_DSYNC?: number }).O_DSYNC;
  const slotFd = openSync(slotFile, dsyncFlag === undefined ? 'r+' : constants.O_RDWR | dsyncFlag);
  const small = Buffer.alloc(64, 0x5a);
  const slot = Buffer.alloc(JOURNAL_SLOT_BYTES, 0x5a);
  let n = 0;
  return {
    fsync() {
      const t0 = performance.now();
      writeSync(appendFd, small);
      fsyncSync(appendFd);
      return performance.now() - t0;
    },
    dsync() {
      const t0 = performance.now();
      writeSync(slotFd, slot, 0, slot.length, (n++ % JOURNAL_SLOTS) * JOURNAL_SLOT_BYTES);
      if (dsyncFlag === undefined) fdatasyncSync(slotFd);
      return performance.now() - t0;
    },
    close() {
      closeSync(appendFd);
      closeSync(slotFd);
    },
  };
}
