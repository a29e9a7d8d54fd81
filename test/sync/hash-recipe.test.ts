import { describe, expect, it } from 'vitest';
import { recordHash } from '../../server/src/ingest/chain';
import { hashRecord } from '../../src/core/outbox/outbox';
import { nextBatch } from '../../src/core/outbox/queue';
import { openTerminal, serveCase } from './support/terminal';

describe('the centre checks records with the kiosk outbox hash recipe', () => {
  it('computes the same hash as the kiosk for every record the real outbox wrote', () => {
    const t = openTerminal();
    serveCase(t, 1);
    serveCase(t, 5, { reasons: ['R01', 'R02'], phone: '13812345678' });
    t.kiosk.execute({ type: 'pause', reason: '午休 "lunch" \\ break' }, 'staff');
    const batch = nextBatch(t.kiosk.db, 1, 0, 100)!;
    expect(batch.records.map((r) => r.kind)).toEqual(['session_started', 'case_opened', 'case_closed', 'rating', 'case_opened', 'case_closed', 'rating', 'rating_details', 'pause_started']);
    for (const r of batch.records) {
      const kioskHash = hashRecord(r.prevHash, { terminalId: r.terminalId, epoch: r.epoch, seq: r.seq, kind: r.kind, recordedAt: r.recordedAt, payload: JSON.parse(r.payload) as unknown });
      expect(kioskHash).toBe(r.hash);
      expect(recordHash(r.terminalId, r.epoch, r)).toBe(r.hash);
    }
    t.kiosk.close();
  });

  it('gives a different hash when a single character of the payload changes', () => {
    const t = openTerminal();
    serveCase(t, 2);
    const rating = nextBatch(t.kiosk.db, 1, 0, 100)!.records.find((r) => r.kind === 'rating')!;
    const edited = { ...rating, payload: rating.payload.replace('"level":"satisfied"', '"level":"very_satisfied"') };
    expect(edited.payload).not.toBe(rating.payload);
    expect(recordHash(rating.terminalId, rating.epoch, edited)).not.toBe(rating.hash);
    t.kiosk.close();
  });
});
