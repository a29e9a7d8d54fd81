/**
 * A new epoch, when the centre shows this terminal's database went back to an older copy:
 * the centre holds records from `divergedAtSeq` on that differ from the ones here. Nothing
 * is lost and nothing rewritten: the local records from that seq on stay where they are,
 * and are appended again, unchanged in kind, time and payload, as the first records of
 * the new epoch (after an `epoch_started` record saying why), which the centre has never
 * seen. The chain runs on unbroken through the new epoch.
 */
import type { Db } from '../store/database';
import { Outbox, headMoved } from './outbox';
import { eraseAcknowledgedPhones, personalOf } from './personal';

export interface NewEpoch {
  epoch: number;
  carried: number;
}

interface Row {
  seq: number;
  kind: string;
  recorded_at: number;
  payload: string;
}

export function startNewEpoch(
  db: Db,
  terminalId: string,
  change: { fromEpoch: number; divergedAtSeq: number; centreHighWater: number; atLeast: number; at: number },
): NewEpoch {
  const result = db.transaction((): NewEpoch => {
    const outbox = new Outbox(db, terminalId);
    const head = outbox.currentHead();
    const epoch = Math.max(head.epoch + 1, change.atLeast);
    const diverged = db
      .prepare('SELECT seq, kind, recorded_at, payload FROM outbox WHERE epoch = ? AND seq >= ? AND acked_at IS NULL ORDER BY seq')
      .all(change.fromEpoch, change.divergedAtSeq) as Row[];
    // Records before the divergence matched the centre's: they are held there.
    db.prepare('UPDATE outbox SET acked_at = ? WHERE epoch = ? AND seq < ? AND seq <= ? AND acked_at IS NULL').run(change.at, change.fromEpoch, change.divergedAtSeq, change.centreHighWater);
    db.prepare(`INSERT INTO sync_epochs (epoch, started_at, reason, centre_high_water, diverged_at_seq) VALUES (?, ?, 'first', ?, ?)
      ON CONFLICT (epoch) DO UPDATE SET diverged_at_seq = excluded.diverged_at_seq`).run(change.fromEpoch, change.at, Math.min(change.centreHighWater, change.divergedAtSeq - 1), change.divergedAtSeq);
    db.prepare("INSERT INTO sync_epochs (epoch, started_at, reason) VALUES (?, ?, 'seq_regression') ON CONFLICT (epoch) DO NOTHING").run(epoch, change.at);
    db.prepare("INSERT INTO meta (key, value) VALUES ('outbox_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(
      JSON.stringify({ epoch, seq: 0, hash: head.hash }),
    );
    headMoved(db);
    outbox.append('epoch_started', change.at, {
      previousEpoch: change.fromEpoch,
      divergedAtSeq: change.divergedAtSeq,
      centreHighWater: change.centreHighWater,
      carried: diverged.length,
    });
    const carry = db.prepare('INSERT INTO outbox_carried (from_epoch, from_seq, to_epoch, to_seq) VALUES (?, ?, ?, ?)');
    for (const r of diverged) {
      // The phone beside a carried record goes with it: the centre has not seen either.
      const copy = outbox.append(r.kind, r.recorded_at, JSON.parse(r.payload) as unknown, personalOf(db, change.fromEpoch, r.seq) ?? undefined);
      carry.run(change.fromEpoch, r.seq, epoch, copy.seq);
    }
    eraseAcknowledgedPhones(db);
    return { epoch, carried: diverged.length };
  });
  try {
    return result();
  } finally {
    // Whatever happened, every Outbox on this database re-reads the head from disk.
    headMoved(db);
  }
}
