/**
 * Resends of presses already recorded, on a real serial line to the real core: acknowledged
 * each time, counted for the keypad, and nowhere in the ratings record: no misuse row, no
 * outbox record, no row in the exported CSV, no link to the case served meanwhile.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportCasesCsv } from '../../src/core/export/cases-csv';
import { tempDir } from '../support/tmp';
import { BADGE, ITEM, pressRecords } from './support/kiosk-on-pty';
import { kioskWithRawKeypad, type RawKeypadRig } from './support/kiosk-raw-keypad';
import { waitFor } from './support/wait-for';

let rig: RawKeypadRig | null = null;
afterEach(async () => {
  await rig?.dispose();
  rig = null;
});

describe('keypad resends, on a real serial line to the real core', () => {
  it('leave no misuse row, no outbox record and no CSV row', async () => {
    rig = await kioskWithRawKeypad({ windowSeconds: 60, detailsSeconds: 60, thanksSeconds: 1 });
    const r = rig;
    await r.answerQuery();
    const kiosk = r.kiosk();
    const run = (command: Record<string, unknown>) => expect(kiosk.execute(command, 'staff')).toMatchObject({ ok: true });
    run({ type: 'signInBadge', badgeId: BADGE });
    run({ type: 'openCase', itemCode: ITEM });
    const first = kiosk.snapshot().case!.id;
    run({ type: 'finishCase', outcome: 'completed' });

    // The rating press, then three copies of it (its ACKs lost on the line).
    r.send([7, { type: 'key', key: 2, eventId: 51 }]);
    await waitFor(() => pressRecords(kiosk.db).ratings.length === 1, { what: 'the rating stored' });
    r.clock.advance(2_000);
    // The next case is served while copies still arrive: none may be linked to it.
    run({ type: 'openCase', itemCode: ITEM });
    const second = kiosk.snapshot().case!.id;
    for (let i = 0; i < 3; i++) r.send([7, { type: 'key', key: 2, eventId: 51 }]);
    // A real stray press (no case waiting) and one copy of it.
    r.send([8, { type: 'key', key: 4, eventId: 52 }], [8, { type: 'key', key: 4, eventId: 52 }]);
    await waitFor(() => r.ackedSeqs().filter((s) => s === 7).length === 4 && r.ackedSeqs().filter((s) => s === 8).length === 2, {
      what: 'every copy acknowledged',
    });
    await waitFor(() => pressRecords(kiosk.db).resends('CRK5-000123') === 4, { what: 'four resends counted for the keypad' });

    const records = pressRecords(kiosk.db);
    expect(records.ratings).toEqual([expect.objectContaining({ case_id: first, device_event_id: 51 })]);
    expect(records.misuse).toEqual([expect.objectContaining({ cause: 'no_case_waiting', device_event_id: 52, case_id: second })]);
    expect(records.outboxKinds().filter((k) => k === 'rating' || k === 'misuse')).toEqual(['rating', 'misuse']);
    expect(kiosk.keypadRepeats()).toEqual({ 'CRK5-000123': 4 });

    const file = join(tempDir(), 'cases.csv');
    expect(await exportCasesCsv(kiosk.db, file, { utcOffsetMinutes: 480, direction: 'national' })).toEqual({ cases: 2, misuse: 1 });
    const rows = readFileSync(file, 'utf8').trim().split('\n').slice(1);
    expect(rows.filter((row) => row.includes(',misuse'))).toHaveLength(1);
    expect(rows.filter((row) => row.includes('repeat_event'))).toEqual([]);
    expect(kiosk.verify()).toMatchObject({ ok: true });
  }, 60_000);
});
