/**
 * Acknowledged records are kept for a while (the centre might need them again after its
 * own restore), then pruned from the oldest on. Only a prefix of the chain is pruned, all
 * of it acknowledged, and the last pruned record becomes the anchor verifyChain starts
 * from. An unacknowledged record stops the pruning: nothing after it goes either.
 */
import type { Db } from '../store/database';

export function pruneAcknowledged(db: Db, options: { olderThanMs: number; now: number }): number {
  const cutoff = options.now - options.olderThanMs;
  return db.transaction(() => {
    const stop = db.prepare('SELECT min(id) FROM outbox WHERE acked_at IS NULL OR acked_at > ?').pluck().get(cutoff) as number | null;
    const last = db
      .prepare('SELECT id, epoch, seq, hash FROM outbox WHERE id < ? ORDER BY id DESC LIMIT 1')
      .get(stop ?? Number.MAX_SAFE_INTEGER) as { id: number; epoch: number; seq: number; hash: string } | undefined;
    if (!last) return 0;
    const removed = db.prepare('DELETE FROM outbox WHERE id <= ?').run(last.id).changes;
    db.prepare("INSERT INTO meta (key, value) VALUES ('outbox_anchor', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify({ epoch: last.epoch, seq: last.seq, hash: last.hash }),
    );
    db.prepare('DELETE FROM outbox_carried WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.epoch = outbox_carried.to_epoch AND o.seq = outbox_carried.to_seq)').run();
    return removed;
  })();
}
