/**
 * WAL checkpoints, kept off the path of any key press: when the window has been quiet for a
 * moment, or, under a steady stream, every few hundred commits on the next turn of the
 * event loop, after the press being handled has been acknowledged. A short WAL is also a
 * fast one: once checkpointed it is rewritten in place instead of growing.
 */
import { describeSqliteError } from './errors';
import type { Log } from './log';
import { checkpoint, type Db } from './store/database';
import type { Clock } from './time';

const CHECKPOINT_AFTER_QUIET_MS = 2_000;
const CHECKPOINT_EVERY_COMMITS = 200;

export class CheckpointSchedule {
  private commitsSinceCheckpoint = 0;
  private cancel: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {}

  afterCommit(): void {
    if (this.stopped) return;
    this.commitsSinceCheckpoint += 1;
    const now = this.clock.now();
    const due = this.commitsSinceCheckpoint >= CHECKPOINT_EVERY_COMMITS ? now : now + CHECKPOINT_AFTER_QUIET_MS;
    this.cancel?.();
    this.cancel = this.clock.setTimer(due, () => {
      this.cancel = null;
      if (this.stopped) return;
      try {
        checkpoint(this.db);
        this.commitsSinceCheckpoint = 0;
      } catch (err) {
        this.log.warn(`checkpoint deferred: ${describeSqliteError(err)}`);
      }
    });
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = null;
  }
}
