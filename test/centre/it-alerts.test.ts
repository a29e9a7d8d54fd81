/**
 * Integrity alerts at the console: IT acknowledges one with a note, the centre records who
 * and when, and the alert stays in the history; only an admin may, and only once.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IT_ROUTES, type IntegrityAlert, type TerminalRow } from '../../src/shared/console/contract';
import { storeAlerts, describeRange } from '../../server/src/ingest/alerts';
import type { TestDatabase } from '../sync/support/backends';
import { count, openItDatabase, startItCentre, terminalKey, type ItCentre } from './it-helpers';

describe('integrity alerts', () => {
  let database: TestDatabase;
  let centre: ItCentre;

  beforeAll(async () => {
    database = await openItDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.reset();
    centre = await startItCentre(database.db);
  });
  afterEach(async () => {
    await centre.close();
  });

  /** A terminal enrolled for window 7, with the alerts the ingest raised about it. */
  async function terminalWithAlerts(): Promise<IntegrityAlert[]> {
    const admin = await centre.as('admin', null, 'setup-admin');
    const code = await centre.call(admin, 'POST', IT_ROUTES.enrolmentCodes, { body: { windowNo: '7' } });
    const enrolled = await centre.v1('POST', '/v1/enrol', null, { code: code.body.code, terminalId: 'T-7', publicKey: terminalKey() });
    expect(enrolled.status).toBe(200);
    await storeAlerts(
      database.db,
      'T-7',
      [
        { kind: 'altered', epoch: 1, seqFrom: 40, seqTo: 55, detail: describeRange('altered', 1, 40, 55) },
        { kind: 'missing', epoch: 1, seqFrom: 80, seqTo: 81, detail: describeRange('missing', 1, 80, 81) },
      ],
      centre.clock.now(),
    );
    return (await centre.call(admin, 'GET', IT_ROUTES.alerts)).body.alerts as IntegrityAlert[];
  }

  it('records who acknowledged an alert, when, and the note; the alert stays in the history', async () => {
    const alerts = await terminalWithAlerts();
    expect(alerts.map((a) => [a.kind, a.windowNo, a.acknowledgement])).toEqual([
      ['missing', '7', null],
      ['altered', '7', null],
    ]);
    const itUser = await centre.as('admin', null, 'it-wu');
    centre.clock.advance(10 * 60_000);
    const altered = alerts.find((a) => a.kind === 'altered')!;
    const note = 'Checked with the window: the PC was restored from a backup on Monday.';
    const acked = await centre.call(itUser, 'POST', IT_ROUTES.acknowledgeAlert, { params: { alertId: altered.id }, body: { note } });
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: altered.id, kind: 'altered', acknowledgement: { by: 'it-wu', at: centre.clock.now(), note } });

    const open = (await centre.call(itUser, 'GET', IT_ROUTES.alerts, { query: { state: 'open' } })).body.alerts as IntegrityAlert[];
    expect(open.map((a) => a.kind)).toEqual(['missing']);
    const history = (await centre.call(itUser, 'GET', IT_ROUTES.alerts, { query: { state: 'all', terminalId: 'T-7' } })).body.alerts as IntegrityAlert[];
    expect(history.find((a) => a.id === altered.id)?.acknowledgement).toEqual({ by: 'it-wu', at: centre.clock.now(), note });
    const terminals = (await centre.call(itUser, 'GET', IT_ROUTES.terminals)).body.terminals as TerminalRow[];
    expect(terminals[0]).toMatchObject({ terminalId: 'T-7', openAlerts: 1 });

    // A second acknowledgement does not overwrite the first: it says who did it.
    const again = await centre.call(itUser, 'POST', IT_ROUTES.acknowledgeAlert, { params: { alertId: altered.id }, body: { note: 'again' } });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain('it-wu already acknowledged this alert');
    const stored = await database.db.query('SELECT acknowledged_by, acknowledge_note FROM integrity_alerts WHERE id = $1', [altered.id]);
    expect(stored).toEqual([{ acknowledged_by: 'it-wu', acknowledge_note: note }]);
  });

  it('refuses an empty note, a non-admin, a missing CSRF token and an unknown alert, and stores nothing', async () => {
    const alerts = await terminalWithAlerts();
    const target = { alertId: alerts[0]!.id };
    const itUser = await centre.as('admin', null, 'it-wu');
    const empty = await centre.call(itUser, 'POST', IT_ROUTES.acknowledgeAlert, { params: target, body: { note: '   ' } });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/say in a few words what was checked or done/);

    const department = await centre.as('department', '340104-SJ');
    const forbidden = await centre.call(department, 'POST', IT_ROUTES.acknowledgeAlert, { params: target, body: { note: 'looks fine' } });
    expect(forbidden.status).toBe(403);
    expect((await centre.call(department, 'GET', IT_ROUTES.alerts)).status).toBe(403);

    const forged = await centre.call(itUser, 'POST', IT_ROUTES.acknowledgeAlert, { params: target, body: { note: 'looks fine' }, csrf: false });
    expect(forged.status).toBe(403);

    const unknown = await centre.call(itUser, 'POST', IT_ROUTES.acknowledgeAlert, { params: { alertId: 9_999 }, body: { note: 'looks fine' } });
    expect(unknown.status).toBe(404);
    const notANumber = await centre.call(itUser, 'POST', IT_ROUTES.acknowledgeAlert, { params: { alertId: 'abc' }, body: { note: 'looks fine' } });
    expect(notANumber.status).toBe(400);

    expect(await count(database.db, 'integrity_alerts', 'acknowledged_at IS NOT NULL')).toBe(0);
  });
});
