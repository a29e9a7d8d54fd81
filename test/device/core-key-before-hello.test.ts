/**
 * CRK/1 §3.2: a KEY that reaches the real core before HELLO (the port just opened, the keypad
 * was mid-resend) is held, QUERY goes out at once, and the KEY is stored and acknowledged as
 * soon as HELLO names the device, counted once.
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

describe('a KEY before HELLO, on a real serial line to the real core', () => {
  it('is acknowledged after HELLO and counted once, its resend acknowledged again and not counted', async () => {
    rig = await kioskWithRawKeypad({ windowSeconds: 60, detailsSeconds: 60, thanksSeconds: 1 });
    const r = rig;
    const kiosk = r.kiosk();
    expect(kiosk.execute({ type: 'signInBadge', badgeId: BADGE }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.execute({ type: 'openCase', itemCode: ITEM }, 'staff')).toMatchObject({ ok: true });
    const caseId = kiosk.snapshot().case!.id;
    expect(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff')).toMatchObject({ ok: true });
    await waitFor(() => r.device.heard.of('query').length === 1, { what: 'the first QUERY' });

    // The keypad resends a held press before it has answered the QUERY.
    r.send([5, { type: 'key', key: 1, eventId: 300 }]);
    await waitFor(() => r.device.heard.of('query').length === 2, { what: 'a QUERY at once for the held KEY' });
    expect(r.ackedSeqs()).toEqual([]);
    expect(pressRecords(kiosk.db).ratings).toEqual([]);

    r.send([0, { type: 'hello', protocolVersion: 1, keyCount: 5, features: { voice: true, display: true, keyLeds: true }, serial: 'CRK5-000900', model: 'CRK-5V', firmware: '1.4.2' }]);
    await waitFor(() => r.ackedSeqs().includes(5), { what: 'the held KEY acknowledged after HELLO' });
    await waitFor(() => pressRecords(kiosk.db).ratings.length === 1, { what: 'the held press stored' });
    expect(pressRecords(kiosk.db).ratings).toEqual([expect.objectContaining({ case_id: caseId, level: 'very_satisfied', device_serial: 'CRK5-000900', device_event_id: 300 })]);

    // Its resend (as if that ACK were lost) is acknowledged again and changes nothing.
    r.send([5, { type: 'key', key: 1, eventId: 300 }]);
    await waitFor(() => r.ackedSeqs().filter((s) => s === 5).length === 2, { what: 'the resend acknowledged' });
    await waitFor(() => pressRecords(kiosk.db).resends('CRK5-000900') === 1, { what: 'the resend counted for the keypad' });
    const records = pressRecords(kiosk.db);
    expect(records.ratings).toHaveLength(1);
    expect(records.misuse).toEqual([]);
    expect(records.outboxKinds().filter((k) => k === 'rating' || k === 'misuse')).toEqual(['rating']);
  }, 60_000);
});
