/**
 * A keypad that held 16 presses releases them at once (one write on a real serial line): the
 * real core makes them durable together and acknowledges every one, counts each once, and
 * keeps their order. The time of the last ACK is measured in `npm run bench:device`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BADGE, ITEM, pressRecords } from './support/kiosk-on-pty';
import { kioskWithRawKeypad, type RawKeypadRig } from './support/kiosk-raw-keypad';
import { waitFor } from './support/wait-for';

let rig: RawKeypadRig | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

describe('16 held presses released at once, on a real serial line to the real core', () => {
  it('are all acknowledged, each counted once, in the order they were pressed', async () => {
    rig = await kioskWithRawKeypad({ windowSeconds: 60, detailsSeconds: 60, thanksSeconds: 30 });
    const r = rig;
    await r.answerQuery();
    const kiosk = r.kiosk();
    expect(kiosk.execute({ type: 'signInBadge', badgeId: BADGE }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.execute({ type: 'openCase', itemCode: ITEM }, 'staff')).toMatchObject({ ok: true });
    const caseId = kiosk.snapshot().case!.id;
    expect(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff')).toMatchObject({ ok: true });

    const burst = Array.from({ length: 16 }, (_, i) => [40 + i, { type: 'key' as const, key: (i % 5) + 1, eventId: 1000 + i, ageMs: 0 }] as const);
    r.send(...burst.map(([seq, m]) => [seq, m] as [number, typeof m]));
    await waitFor(() => burst.every(([seq]) => r.ackedSeqs().includes(seq)), { what: 'all 16 KEYs acknowledged' });
    // Each acknowledged once, in the order sent.
    expect(r.ackedSeqs().filter((s) => s >= 40 && s < 56)).toEqual(burst.map(([seq]) => seq));

    await waitFor(() => pressRecords(kiosk.db).deviceEvents.length === 16, { what: 'all 16 presses stored' });
    const records = pressRecords(kiosk.db);
    // The first press rates the case; the 15 after it are second presses on it, in order.
    expect(records.ratings).toEqual([expect.objectContaining({ case_id: caseId, device_event_id: 1000, level: 'very_satisfied' })]);
    expect(records.misuse.map((m) => [m.device_event_id, m.cause, m.case_id])).toEqual(burst.slice(1).map(([, m]) => [m.eventId, 'second_press', caseId]));
    const outboxEvents = (kiosk.db.prepare("SELECT payload FROM outbox WHERE kind IN ('rating', 'misuse') ORDER BY seq").pluck().all() as string[]).map(
      (p) => (JSON.parse(p) as { eventId: number }).eventId,
    );
    expect(outboxEvents).toEqual(burst.map(([, m]) => m.eventId));
    expect(kiosk.verify()).toMatchObject({ ok: true });
  }, 60_000);
});
