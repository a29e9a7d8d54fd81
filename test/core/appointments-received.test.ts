/**
 * 预约服务 at a window: the day's appointments arrive with the config and are kept with it,
 * so they list offline; an entry the window cannot read is left out and the rest of the
 * config is taken; another day's are not listed; a case opened from one carries its id in
 * case_opened (sync wire revision 4) and marks it as taken, and other cases hash as before.
 */
import { describe, expect, it } from 'vitest';
import { applyCentreConfig, CentreConfig } from '../../src/core/sync/config-pull';
import { checkPayload } from '../../src/shared/sync-wire';
import { openTestKiosk } from '../support/kiosk';

type TestKiosk = ReturnType<typeof openTestKiosk>['kiosk'];

const appointment = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  date: '2026-03-02',
  applicantKind: 'person',
  applicantName: `申请人${id}`,
  phone: '138****5678',
  itemCode: '340104-SJ-001',
  itemName: '个体工商户设立登记',
  agreedTime: '10:30',
  channel: 'phone',
  departmentOpinion: null,
  outcome: null,
  ...over,
});

function pullConfig(kiosk: TestKiosk, at: number, appointments: unknown): void {
  const body = JSON.stringify({
    window: { windowNo: '12', departmentCode: null, departmentName: null, areaCode: null, closingTime: null, rating: { windowSeconds: 15, detailsSeconds: 60 } },
    ratingPolicy: { defaultRating: null },
    staff: [],
    items: [],
    reasons: [{ code: 'R1', labelZh: '态度', labelEn: 'Manner', sort: 1 }],
    appointments,
  });
  applyCentreConfig(kiosk.db, CentreConfig.parse(JSON.parse(body)), '"etag-appointments"', body, at);
}

const openedPayloads = (kiosk: TestKiosk) =>
  (kiosk.db.prepare("SELECT kind, payload FROM outbox WHERE kind = 'case_opened' ORDER BY seq").all() as { kind: string; payload: string }[]).map((r) => ({
    kind: r.kind,
    text: r.payload,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));

describe('appointments at the window', () => {
  it('lists today’s in time order, drops what it cannot read, and leaves out another day’s', () => {
    const { kiosk, clock } = openTestKiosk();
    // MORNING is 2026-03-02 09:00 in Beijing.
    pullConfig(kiosk, clock.now(), [
      appointment('7', { agreedTime: '14:00', applicantKind: 'company', channel: 'online', departmentOpinion: '同意', hallFloor: 3 }),
      appointment('5'),
      appointment('6', { channel: 'fax' }),
      appointment('8', { date: '2026-03-03' }),
      appointment('9', { agreedTime: '09:30', noShow: true }),
      appointment('4', { agreedTime: '09:15', noShow: 'yes' }),
      'not an appointment',
    ]);
    // A centre before the console's marks sends no noShow: none is marked.
    expect(kiosk.appointmentsToday()).toEqual([
      { ...appointment('4', { agreedTime: '09:15' }), noShow: false, caseOpened: false },
      { ...appointment('9', { agreedTime: '09:30' }), noShow: true, caseOpened: false },
      { ...appointment('5'), noShow: false, caseOpened: false },
      { ...appointment('7', { agreedTime: '14:00', applicantKind: 'company', channel: 'online', departmentOpinion: '同意' }), noShow: false, caseOpened: false },
    ]);
    // The rest of the config is taken.
    expect(kiosk.directory.reasons().map((r) => r.code)).toEqual(['R1']);
    kiosk.close();
  });

  it('takes a list it cannot read as none, and still takes the config', () => {
    const { kiosk, clock } = openTestKiosk();
    pullConfig(kiosk, clock.now(), { '5': appointment('5') });
    expect(kiosk.appointmentsToday()).toEqual([]);
    expect(kiosk.directory.reasons().map((r) => r.code)).toEqual(['R1']);
    kiosk.close();
  });

  it('links a case opened from an appointment, and other cases hash as before', () => {
    const { kiosk, clock } = openTestKiosk();
    pullConfig(kiosk, clock.now(), [appointment('5'), appointment('9', { agreedTime: '11:00' })]);
    expect(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001', appointmentId: '5' }, 'staff')).toMatchObject({ ok: true });
    expect(kiosk.appointmentsToday().map((a) => [a.id, a.caseOpened])).toEqual([
      ['5', true],
      ['9', false],
    ]);
    expect(kiosk.execute({ type: 'finishCase', outcome: 'completed' }, 'staff')).toMatchObject({ ok: true });
    // The rating window passes unrated; the next case is a walk-in.
    clock.advance(60_000);
    expect(kiosk.snapshot().phase).toBe('idle');
    expect(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff')).toMatchObject({ ok: true });
    const [fromAppointment, ...rest] = openedPayloads(kiosk);
    expect(fromAppointment!.payload).toMatchObject({ kind: 'case_opened', appointmentId: '5' });
    expect(checkPayload('case_opened', fromAppointment!.text)).toMatchObject({ ok: true, payload: { appointmentId: '5' } });
    expect(rest.map((r) => 'appointmentId' in r.payload)).toEqual([false]);
    // An appointment id no centre could have sent is refused before anything is recorded.
    expect(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001', appointmentId: '' }, 'staff')).toMatchObject({ ok: false });
    kiosk.close();
  });
});
