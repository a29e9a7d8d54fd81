import { afterEach, describe, expect, it } from 'vitest';
import { caseAwaitingRating, kioskWithLegacyKeypad, pressRecords, waitKeypadOnline, type KioskWithLegacyKeypad } from './support/kiosk-on-pty';
import { waitFor } from './support/wait-for';

let rig: KioskWithLegacyKeypad | null = null;
afterEach(async () => {
  const current = rig;
  rig = null;
  await current?.dispose();
});

const DEBOUNCE_MS = 300;

describe('a single-byte keypad into the real core', () => {
  it('a bouncing key (two bytes within 300 ms) is one rating on the legacy_keypad channel; an unmapped byte is ignored and counted', async () => {
    // A long thanks, so the deliberate second press below meets the same window state every run.
    rig = await kioskWithLegacyKeypad(
      { legacyMap: 'ascii_1_to_4', legacyDebounceMs: DEBOUNCE_MS },
      { config: { rating: { windowSeconds: 60, detailsSeconds: 60, thanksSeconds: 60 } } },
    );
    const { kiosk, device, link, pty } = rig;
    await waitKeypadOnline(kiosk);
    expect(kiosk.snapshot().keypad.serial).toBe(`legacy:${pty.hostPath}`);
    const caseId = caseAwaitingRating(kiosk);
    const bytesIn = () => link.diagnostics().legacy?.bytesIn ?? 0;

    // '2' twice in one burst: one bouncing contact, one press.
    device.write(Uint8Array.of(0x32, 0x32));
    await waitFor(() => bytesIn() === 2, { what: 'the burst received' });
    let records = pressRecords(kiosk.db);
    expect(records.ratings).toEqual([
      { id: expect.any(String), case_id: caseId, level: 'satisfied', raw_key: 0x32, channel: 'legacy_keypad', device_serial: `legacy:${pty.hostPath}`, device_event_id: null },
    ]);
    expect(records.misuse).toEqual([]);
    // A legacy keypad has no event ids, so nothing goes to the CRK/1 dedupe table.
    expect(records.deviceEvents).toEqual([]);
    expect(link.diagnostics().legacy).toMatchObject({ presses: 1, debounced: 1, ignoredBytes: 0, recordFailures: 0 });

    // A byte outside the map: line garbage, not a press.
    device.write(Uint8Array.of(0x78));
    await waitFor(() => bytesIn() === 3, { what: 'the unmapped byte received' });
    expect(link.diagnostics().legacy).toMatchObject({ presses: 1, ignoredBytes: 1 });
    records = pressRecords(kiosk.db);
    expect(records.ratings).toHaveLength(1);
    expect(records.misuse).toEqual([]);

    // A deliberate press after the debounce time counts: the case is rated, so it is a second press.
    const ratedAt = kiosk.db.prepare('SELECT rated_at FROM ratings').pluck().get() as number;
    await waitFor(() => Date.now() - ratedAt > DEBOUNCE_MS + 50, { what: 'the debounce time to pass' });
    device.write(Uint8Array.of(0x34));
    await waitFor(() => bytesIn() === 4, { what: 'the second press received' });
    records = pressRecords(kiosk.db);
    expect(records.ratings).toHaveLength(1);
    expect(records.misuse).toEqual([
      expect.objectContaining({ cause: 'second_press', level: 'dissatisfied', raw_key: 0x34, channel: 'legacy_keypad', device_event_id: null, case_id: caseId }),
    ]);
    expect(link.diagnostics().legacy).toMatchObject({ presses: 2, debounced: 1, ignoredBytes: 1 });
    expect(kiosk.today()).toMatchObject({ cases: 1, rated: 1, misusePresses: 1 });
    expect(kiosk.verify()).toMatchObject({ ok: true });
  });
});
