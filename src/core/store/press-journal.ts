/**
 * The press journal: where a key press is made durable before the keypad gets its ACK.
 *
 * CRK/1 lets the keypad forget a press once it is acknowledged, so the press must be on disk
 * first. Committing it to SQLite with its outbox record writes about ten pages and an fsync
 * of a growing WAL; the journal instead writes one slot, in place, in a file allocated once
 * and opened with O_DSYNC, which is the cheapest durable write the disk offers. This file is
 * the format only; the rule that uses it (commit after the ACK with the seq applied, replay
 * at start, set aside another database's presses) is in ../press-durability.ts.
 *
 * The file is a ring of fixed slots; slot = seq mod SLOTS. Each slot holds
 *   magic "CPJ1" | seq (u48 LE) | payload length (u16 LE) | CRC-32 of seq, length, payload |
 *   committed flag (1 byte) | 0 | payload (UTF-8 JSON)
 * A torn write fails its CRC and is ignored: its press was never acknowledged. The committed
 * flag is set, without a flush, once the database holds the entry.
 */
import { closeSync, constants, existsSync, fdatasyncSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import { StorageError, describeFsError } from '../errors';

export const JOURNAL_SLOTS = 32;
export const JOURNAL_SLOT_BYTES = 1024;
const MAGIC = 0x314a5043; // "CPJ1" read as u32 LE
/** Set once the database holds the entry; outside the CRC, written without a flush. */
const COMMITTED_OFFSET = 16;
const HEADER_BYTES = 18;
export const JOURNAL_MAX_PAYLOAD = JOURNAL_SLOT_BYTES - HEADER_BYTES;
const FILE_BYTES = JOURNAL_SLOTS * JOURNAL_SLOT_BYTES;

export interface JournalEntry {
  seq: number;
  value: unknown;
  /** The database this journal served said it holds the entry (best effort: may be missing after a power cut). */
  committed: boolean;
}

export interface JournalOptions {
  /**
   * Open with O_DSYNC (Linux, macOS) so each write returns once on stable storage. Without
   * it (Windows has no O_DSYNC), each write is followed by fdatasync. Default: the platform's.
   */
  dsync?: boolean;
}

const PLATFORM_DSYNC: number | undefined = (constants as { O_DSYNC?: number }).O_DSYNC;

export class PressJournal {
  private nextSeq: number;
  private applied: number;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    /** A second descriptor without O_DSYNC, for the committed flags. */
    private readonly flagFd: number,
    private readonly dsync: boolean,
    floorSeq: number,
    entries: readonly JournalEntry[],
    /** True when the file did not exist and was made now. */
    readonly created: boolean,
  ) {
    this.applied = floorSeq;
    this.nextSeq = Math.max(floorSeq, ...entries.map((e) => e.seq)) + 1;
    this.unapplied = entries.filter((e) => e.seq > floorSeq && !e.committed).sort((a, b) => a.seq - b.seq);
  }

  /** Entries written and never committed to the database, oldest first, as found at open. */
  readonly unapplied: readonly JournalEntry[];

  /**
   * Opens (or creates) the journal. `floorSeq` is the last seq the database says it holds;
   * later entries not marked committed are returned in `unapplied`, for the caller to apply
   * (or set aside) before appending anything.
   */
  static open(file: string, floorSeq: number, options: JournalOptions = {}): PressJournal {
    const dsync = (options.dsync ?? PLATFORM_DSYNC !== undefined) && PLATFORM_DSYNC !== undefined;
    let entries: JournalEntry[] = [];
    let created = false;
    let fd: number;
    let flagFd: number;
    try {
      if (existsSync(file)) {
        const bytes = readFileSync(file);
        entries = readSlots(bytes);
        // A file of another size (cut short, say) is rebuilt, keeping the newest entries it held.
        if (bytes.length !== FILE_BYTES) writeFresh(file, entries);
      } else {
        writeFresh(file, []);
        created = true;
      }
      fd = openSync(file, dsync ? constants.O_RDWR | PLATFORM_DSYNC! : 'r+');
      try {
        flagFd = dsync ? openSync(file, 'r+') : fd;
      } catch (err) {
        closeSync(fd);
        throw err;
      }
    } catch (err) {
      throw new StorageError(`could not prepare the press journal ${file}: ${describeFsError(err)}`, { cause: err });
    }
    return new PressJournal(file, fd, flagFd, dsync, floorSeq, entries, created);
  }

  /** Writes one entry; on return it is on stable storage. Returns its seq. Throws StorageError. */
  append(value: unknown): number {
    return this.appendMany([value])[0]!;
  }

  /**
   * Writes entries in consecutive slots with one durable write (two where the ring wraps);
   * on return all are on stable storage. Returns their seqs. Throws StorageError, and then
   * none counts as written: a slot that reached the disk all the same is a press never
   * acknowledged, which the keypad resends and the database sees as already recorded.
   */
  appendMany(values: readonly unknown[]): number[] {
    const first = this.nextSeq;
    const last = first + values.length - 1;
    if (values.length === 0) return [];
    if (last - this.applied > JOURNAL_SLOTS) {
      throw new StorageError(`the press journal is full: ${first - this.applied - 1} presses wait to be stored in the database`, { storageCause: 'journal_full' });
    }
    const slots = Buffer.concat(values.map((value, i) => encodeSlot(first + i, value)));
    // Slots up to the end of the ring, then the rest from its start.
    const fit = Math.min(values.length, JOURNAL_SLOTS - (first % JOURNAL_SLOTS));
    const runs = [slots.subarray(0, fit * JOURNAL_SLOT_BYTES), slots.subarray(fit * JOURNAL_SLOT_BYTES)];
    try {
      runs.forEach((run, i) => {
        if (run.length === 0) return;
        const written = writeSync(this.fd, run, 0, run.length, i === 0 ? slotOffset(first) : 0);
        if (written !== run.length) throw new Error(`only ${written} of ${run.length} bytes were written`);
      });
      if (!this.dsync) fdatasyncSync(this.fd);
    } catch (err) {
      throw new StorageError(`could not write the press to the press journal: ${describeFsError(err)}`, { cause: err });
    }
    this.nextSeq = last + 1;
    return values.map((_, i) => first + i);
  }

  /** The seq of the last entry written (or of the floor the journal was opened with). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Everything up to `seq` is settled (in the database, or set aside): its slots may be reused. */
  markApplied(seq: number): void {
    if (seq > this.applied) this.applied = seq;
  }

  isSettled(seq: number): boolean {
    return seq <= this.applied;
  }

  /**
   * Notes in the entry's slot that the database holds it, so that a copy of the database
   * restored from a backup is never given it again. Not flushed: the next press's write, or
   * the system's own write-back, takes it to the disk. Best effort: returns false on failure.
   */
  markCommitted(seq: number): boolean {
    try {
      return writeSync(this.flagFd, COMMITTED, 0, 1, slotOffset(seq) + COMMITTED_OFFSET) === 1;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.flagFd !== this.fd) closeSync(this.flagFd);
    closeSync(this.fd);
  }
}

const COMMITTED = Buffer.from([1]);

const slotOffset = (seq: number) => (seq % JOURNAL_SLOTS) * JOURNAL_SLOT_BYTES;

export function encodeSlot(seq: number, value: unknown, committed = false): Buffer {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  if (payload.length > JOURNAL_MAX_PAYLOAD) {
    throw new StorageError(`a press record of ${payload.length} bytes does not fit the press journal's ${JOURNAL_MAX_PAYLOAD}-byte slot`);
  }
  const slot = Buffer.alloc(JOURNAL_SLOT_BYTES);
  slot.writeUInt32LE(MAGIC, 0);
  slot.writeUIntLE(seq, 4, 6);
  slot.writeUInt16LE(payload.length, 10);
  payload.copy(slot, HEADER_BYTES);
  slot.writeUInt32LE(crc32(slot.subarray(4, 12), crc32(payload)) >>> 0, 12);
  slot[COMMITTED_OFFSET] = committed ? 1 : 0;
  return slot;
}

/** Every slot that holds a whole entry; torn, empty and foreign slots are skipped. */
export function readSlots(bytes: Buffer): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (let offset = 0; offset + HEADER_BYTES <= bytes.length; offset += JOURNAL_SLOT_BYTES) {
    if (bytes.readUInt32LE(offset) !== MAGIC) continue;
    const length = bytes.readUInt16LE(offset + 10);
    if (length > JOURNAL_MAX_PAYLOAD || offset + HEADER_BYTES + length > bytes.length) continue;
    const payload = bytes.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + length);
    if ((crc32(bytes.subarray(offset + 4, offset + 12), crc32(payload)) >>> 0) !== bytes.readUInt32LE(offset + 12)) continue;
    try {
      const value: unknown = JSON.parse(payload.toString('utf8'));
      entries.push({ seq: bytes.readUIntLE(offset + 4, 6), value, committed: bytes[offset + COMMITTED_OFFSET] === 1 });
    } catch {
      // A CRC-valid slot that is not JSON was not written by Cordial: skip it.
    }
  }
  return entries;
}

/** Writes a whole journal (zeros plus the given entries) beside the file, syncs it, then renames it into place. */
function writeFresh(file: string, entries: readonly JournalEntry[]): void {
  const bytes = Buffer.alloc(FILE_BYTES);
  // Oldest first, so where two entries share a slot the newer one stays.
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) encodeSlot(e.seq, e.value, e.committed).copy(bytes, slotOffset(e.seq));
  const temp = `${file}.new`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncFolder(dirname(file));
}

/** Makes a rename durable. Windows cannot open a folder; NTFS journals the rename itself. */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder; the rename is still ordered after the data.
  } finally {
    closeSync(fd);
  }
}
