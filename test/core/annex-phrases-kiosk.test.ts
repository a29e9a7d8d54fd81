/** Annex A phrases through the kiosk core over a real SQLite file: commands, snapshots, and a restart. */
import { describe, expect, it } from 'vitest';
import { openTestKiosk } from '../support/kiosk';
import type { CommandResult } from '../../src/shared/contract';
import { phraseText } from '../../src/shared/phrases';

function ok(r: CommandResult): Extract<CommandResult, { ok: true }> {
  if (!r.ok) throw new Error(`command refused: ${JSON.stringify(r)}`);
  return r;
}

const NOTICE = '对不起，根据个体工商户设立登记规定，这项业务需要提供营业执照副本、法人身份证复印件资料，请您准备齐全再来。';

describe('annex A phrases in the kiosk', () => {
  it('a staff phrase reaches the citizen screen through the snapshot; A.1.1.3 is refused with a sentence until a case is open', () => {
    const { kiosk } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    const r = ok(kiosk.execute({ type: 'playPhrase', phrase: 'against_rules' }, 'staff'));
    expect(phraseText(r.snapshot.phrase, 'zh', r.snapshot.phraseFills)).toBe('抱歉，你要办理的业务不符合国家相关政策规定，我们不能办理，请谅解。');

    const refused = kiosk.execute({ type: 'playPhrase', phrase: 'show_materials' }, 'staff');
    expect(refused).toMatchObject({ ok: false, error: { message: expect.stringMatching(/open a case first/) } });
    expect(kiosk.snapshot().phrase).toBe('against_rules');

    ok(kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    const shown = ok(kiosk.execute({ type: 'playPhrase', phrase: 'show_materials' }, 'staff')).snapshot;
    expect(phraseText(shown.phrase, 'zh', shown.phraseFills)).toBe('请您出示个体工商户设立登记资料（证件）。');
    kiosk.close();
  });

  it('an unknown phrase is refused and changes nothing', () => {
    const { kiosk } = openTestKiosk();
    ok(kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    const before = kiosk.snapshot().phrase;
    expect(kiosk.execute({ type: 'playPhrase', phrase: 'materials_incomplete' } as never, 'staff')).toMatchObject({ ok: false });
    expect(kiosk.snapshot().phrase).toBe(before);
    kiosk.close();
  });

  it('一次告知 shows the notice with the missing materials, and still does after a restart', () => {
    const first = openTestKiosk();
    const { clock, dataDir } = first;
    ok(first.kiosk.execute({ type: 'signInBadge', badgeId: 'BADGE-1001' }, 'staff'));
    ok(first.kiosk.execute({ type: 'openCase', itemCode: '340104-SJ-001' }, 'staff'));
    const done = ok(first.kiosk.execute({ type: 'finishCase', outcome: 'notified_missing', missingMaterials: ['营业执照副本', '法人身份证复印件'] }, 'staff')).snapshot;
    expect(done.phase).toBe('awaiting_rating');
    expect(phraseText(done.phrase, 'zh', done.phraseFills)).toBe(NOTICE);
    first.kiosk.close();

    clock.advance(2000);
    const second = openTestKiosk({ dataDir, clock });
    const after = second.kiosk.snapshot();
    expect(after.phase).toBe('awaiting_rating');
    expect(phraseText(after.phrase, 'zh', after.phraseFills)).toBe(NOTICE);
    second.kiosk.close();
  });
});
