/**
 * 首问负责 (10.1) at the window: a consultation or transfer records where the citizen was
 * sent, from the list the centre distributed with the config, and a complaint received at
 * the window is its own outcome with a one-line summary. The records the window sends carry
 * them, hash-chained like every other record.
 */
import { describe, expect, it } from 'vitest';
import { applyCentreConfig, CentreConfig } from '../../src/core/sync/config-pull';
import type { CommandResult } from '../../src/shared/contract';
import { checkPayload } from '../../src/shared/sync-wire';
import { openTestKiosk } from '../support/kiosk';

function ok(r: CommandResult): Extract<CommandResult, { ok: true }> {
  if (!r.ok) throw new Error(`command refused: ${JSON.stringify(r)}`);
  return r;
}

const TARGETS = [
  { code: 'GA-HJ', name: '公安局户籍窗口', kind: 'department' },
  { code: 'W07', name: '7 号综合窗口', kind: 'window' },
  { code: 'SBJ', name: '市社保中心（政务中心外）', kind: 'outside' },
] as const;

/** The config as the centre's GET /v1/config would send it, with its referral targets. */
function pullConfig(kiosk: ReturnType<typeof openTestKiosk>['kiosk'], at: number): void {
  const body = JSON.stringify({
    window: { windowNo: '12', departmentCode: null, departmentName: null, areaCode: '340104', closingTime: null, rating: { windowSeconds: 15, detailsSeconds: 60 } },
    ratingPolicy: { defaultRating: null },
    staff: [],
    items: [],
    reasons: [],
    referralTargets: TARGETS,
  });
  applyCentreConfig(kiosk.db, CentreConfig.parse(JSON.parse(body)), '"etag-1"', body, at);
}

const closedPayloads = (kiosk: ReturnType<typeof openTestKiosk>['kiosk']) =>
  (kiosk.db.prepare("SELECT payload FROM outbox WHERE kind = 'case_closed' ORDER BY seq").all() as { payload: string }[]).map((r) => JSON.parse(r.payload) as Record<string, unknown>);

describe('referrals and complaints at the window', () => {
  it('records where a transfer sent the citizen, from the centre list, with its note', () => {
    const { kiosk, clock } = openTestKiosk();
    pullConfig(kiosk, clock.now());
    expect(kiosk.directory.referralTargets().map((t) => t.code)).toEqual(['GA-HJ', 'W07', 'SBJ']);
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));

    const noTarget = kiosk.execute({ type: 'finishCase', outcome: 'transferred' }, 'staff');
    expect(noTarget).toMatchObject({ ok: false, error: { code: 'invalid_command' } });
    expect(JSON.stringify(noTarget)).toContain('转办 needs where the citizen was sent');
    const unknown = kiosk.execute({ type: 'finishCase', outcome: 'transferred', referralTo: 'NOPE' }, 'staff');
    expect(unknown).toMatchObject({ ok: false, error: { message: "referral target NOPE is not in the centre's list: choose one the list offers" } });
    const wrongOutcome = kiosk.execute({ type: 'finishCase', outcome: 'completed', referralTo: 'GA-HJ' }, 'staff');
    expect(JSON.stringify(wrongOutcome)).toContain('only a consultation or a transfer sends the citizen somewhere');
    expect(kiosk.snapshot().phase).toBe('serving'); // nothing refused closed the case

    ok(kiosk.execute({ type: 'finishCase', outcome: 'transferred', referralTo: 'SBJ', referralNote: '请携带身份证原件到社保中心 3 楼' }, 'staff'));
    expect(kiosk.snapshot().phase).toBe('awaiting_rating');
    const [closed] = closedPayloads(kiosk);
    expect(closed).toMatchObject({
      outcome: 'transferred',
      referral: { code: 'SBJ', name: '市社保中心（政务中心外）', kind: 'outside' },
      referralNote: '请携带身份证原件到社保中心 3 楼',
    });
    expect(closed).not.toHaveProperty('complaintSummary');
    expect(kiosk.verify()).toMatchObject({ ok: true });
    kiosk.close();
  });

  it('lets a consultation answered at the window name no target, and writes the record as before', () => {
    const { kiosk } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    ok(kiosk.execute({ type: 'finishCase', outcome: 'consultation' }, 'staff'));
    const [closed] = closedPayloads(kiosk);
    // Without a referral the record has exactly the fields of sync wire revision 2.
    expect(Object.keys(closed!).sort()).toEqual(['afterHours', 'areaCode', 'at', 'caseId', 'kind', 'missingMaterials', 'outcome', 'ratingDeadline', 'windowNo']);
    kiosk.close();
  });

  it('takes a complaint as its own outcome only with a one-line summary', () => {
    const { kiosk } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    const bare = kiosk.execute({ type: 'finishCase', outcome: 'complaint' }, 'staff');
    expect(JSON.stringify(bare)).toContain('投诉 needs a one-line summary of what the complaint is about');
    const stray = kiosk.execute({ type: 'finishCase', outcome: 'completed', complaintSummary: '排队太久' }, 'staff');
    expect(JSON.stringify(stray)).toContain('a complaint summary belongs to the 投诉 outcome only');
    ok(kiosk.execute({ type: 'finishCase', outcome: 'complaint', complaintSummary: '等候两小时无人叫号' }, 'staff'));
    const payload = kiosk.db.prepare("SELECT payload FROM outbox WHERE kind = 'case_closed'").get() as { payload: string };
    expect(JSON.parse(payload.payload)).toMatchObject({ outcome: 'complaint', complaintSummary: '等候两小时无人叫号' });
    expect(kiosk.db.prepare('SELECT outcome FROM cases').get()).toEqual({ outcome: 'complaint' });
    // The centre's contract reads what the window wrote.
    expect(checkPayload('case_closed', payload.payload)).toMatchObject({ ok: true, payload: { outcome: 'complaint', complaintSummary: '等候两小时无人叫号' } });
    expect(kiosk.verify()).toMatchObject({ ok: true });
    kiosk.close();
  });
});
