/**
 * Every refusal a person at the window can meet reaches the screen in the screen's language:
 * the core sends a reason with its figures, and the screens word it. Driven through the real
 * core and admin desk, so a reason the core sends without the figures its words name, or
 * words that drift from what the core means, fail here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AdminDesk } from '../../src/app/admin';
import { defaultConfig } from '../../src/core/config';
import { StorageError, storageCauseOf } from '../../src/core/errors';
import { hashPin } from '../../src/core/pin';
import type { CommandResult, KioskError } from '../../src/shared/contract';
import { REFUSAL_REASONS, refusal } from '../../src/shared/refusals';
import { REFUSAL_WORDS, problemText, refusalText } from '../../src/renderer/common/refusal-words';
import { ManualClock } from '../support/clock';
import { openTestKiosk } from '../support/kiosk';
import { recordingLog } from '../support/log';

const HAN = /[\u4e00-\u9fff]/;
const PLACEHOLDER = /\{(\w+)\}/g;
const names = (s: string) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1]).sort();

function refused(r: CommandResult): KioskError {
  if (r.ok) throw new Error('the command was accepted');
  return r.error;
}

/** The refusal as each screen says it: no placeholder left, Chinese on the Chinese screen, and the core's own meaning in English. */
function expectWorded(error: KioskError, reason: string): { zh: string; en: string } {
  expect(error.reason, error.message).toBe(reason);
  const zh = refusalText(error, 'zh');
  const en = refusalText(error, 'en');
  expect(zh, reason).toMatch(HAN);
  expect(zh, reason).not.toMatch(PLACEHOLDER);
  // English words around the figures (a staff member's name stays as it is).
  expect(en.replace(/[\u4e00-\u9fff]+/g, ''), reason).toMatch(/[a-z]{3}/);
  expect(en, reason).not.toMatch(PLACEHOLDER);
  return { zh, en };
}

const opened: { close(): void }[] = [];
afterEach(() => {
  for (const k of opened.splice(0)) k.close();
});

describe('refusals on the window’s screens', () => {
  it('has Chinese and English words for every reason, naming the same figures', () => {
    for (const reason of REFUSAL_REASONS) {
      const words = REFUSAL_WORDS[reason];
      expect(words.zh, reason).toMatch(HAN);
      expect(words.en, reason).not.toMatch(HAN);
      expect(names(words.zh), reason).toEqual(names(words.en));
    }
  });

  it('words the window’s own refusals as the core means them, figures and all', () => {
    const { kiosk } = openTestKiosk();
    opened.push(kiosk);
    const run = (command: Record<string, unknown>, origin: 'staff' | 'citizen' = 'staff') => kiosk.execute(command, origin);

    expect(expectWorded(refused(run({ type: 'signInBadge', badgeId: 'BADGE-9999' })), 'badge_unknown').zh).toBe('此工牌未登记：请联系信息科添加');
    expect(expectWorded(refused(run({ type: 'signInPin', staffNo: '7777', pin: '123456' })), 'staff_no_unknown').zh).toBe('工号 7777 未登记');
    kiosk.directory.upsertStaff([{ staffNo: '1009', name: '赵明', badgeIds: ['BADGE-1009'] }]);
    expect(expectWorded(refused(run({ type: 'signInPin', staffNo: '1009', pin: '123456' })), 'pin_not_set').zh).toBe('赵明 尚未设置密码：请用工牌签到');
    expect(expectWorded(refused(run({ type: 'pause', reason: 'lunch' })), 'cannot_pause').zh).toBe('现在不能暂停：无人签到');
    expect(expectWorded(refused(run({ type: 'signOut' })), 'nobody_signed_in').en).toBe('nobody is signed in');

    // Five wrong PINs lock the staff number: the wait is in minutes, in both languages.
    for (let i = 0; i < 5; i++) expectWorded(refused(run({ type: 'signInPin', staffNo: '1002', pin: '000000' })), 'pin_wrong');
    const locked = expectWorded(refused(run({ type: 'signInPin', staffNo: '1002', pin: '135790' })), 'pin_locked');
    expect(locked.zh).toMatch(/^工号 1002 密码错误次数过多：请 \d+ 分钟后再试，或用工牌签到$/);
    expect(locked.en).toMatch(/^too many wrong PINs for 1002; try again in \d+ min or use your badge$/);

    run({ type: 'signInBadge', badgeId: 'BADGE-1001' });
    expect(expectWorded(refused(run({ type: 'signInBadge', badgeId: 'BADGE-1002' })), 'already_signed_in').zh).toBe('王晓梅 已在本窗口签到');
    expect(expectWorded(refused(run({ type: 'resume' })), 'not_paused').zh).toBe('窗口未暂停');
    expect(expectWorded(refused(run({ type: 'finishCase', outcome: 'completed' })), 'no_open_case').zh).toBe('没有可办结的业务：窗口空闲');
    expect(expectWorded(refused(run({ type: 'openCase', itemCode: 'NO-SUCH-ITEM' })), 'item_unknown').zh).toBe('事项 NO-SUCH-ITEM 不在本窗口的事项清单中');
    const phrase = expectWorded(refused(run({ type: 'playPhrase', phrase: 'show_materials' })), 'phrase_needs_case');
    expect(phrase.zh).toBe('“请您出示××资料（证件）。”要说出所办事项：请先受理业务');
    expect(expectWorded(refused(run({ type: 'rateByTouch', level: 'satisfied' })), 'staff_cannot_rate').zh).toBe('工作人员不能录入或更改评价');
    expect(expectWorded(refused(run({ type: 'pause', reason: 'lunch' }, 'citizen')), 'citizen_cannot_run_window').zh).toBe('群众屏不能操作窗口');

    run({ type: 'openCase', itemCode: '340104-SJ-001' });
    expect(expectWorded(refused(run({ type: 'signOut' })), 'sign_out_case_open').zh).toBe('请先办结当前业务，再签退');
    expect(expectWorded(refused(run({ type: 'openCase', itemCode: '340104-SJ-001' })), 'cannot_open_case').zh).toBe('现在不能受理新业务：正在办理业务');
    expect(expectWorded(refused(run({ type: 'finishCase', outcome: 'transferred', referralTo: 'NOWHERE' })), 'referral_unknown').zh).toBe('转办去向 NOWHERE 不在中心的清单中：请从清单中选择');
    run({ type: 'finishCase', outcome: 'completed' });
    expect(expectWorded(refused(run({ type: 'signOut' })), 'sign_out_while_rating').zh).toBe('群众正在评价：请在评价结束后签退');

    // The citizen's side: a poor rating, its reasons, and then the time runs out.
    const rated = run({ type: 'rateByTouch', level: 'dissatisfied' }, 'citizen');
    if (!rated.ok) throw new Error(rated.error.message);
    const ratingId = rated.snapshot.lastRating!.id;
    expect(expectWorded(refused(run({ type: 'addRatingDetails', ratingId: '00000000-0000-4000-8000-000000000000', reasonCodes: [] }, 'citizen')), 'rating_not_latest').zh).toBe('这不是刚才的那次评价');
    expect(expectWorded(refused(run({ type: 'addRatingDetails', ratingId, reasonCodes: ['R42'] }, 'citizen')), 'reason_unknown').zh).toBe('原因 R42 不在清单中');
    expect(expectWorded(refused(run({ type: 'addRatingDetails', ratingId, reasonCodes: [], callbackPhone: '12345', callbackConsent: true }, 'citizen')), 'callback_phone_invalid').zh).toBe('回访电话号码无效');
    // Reasons are given once: a second set is refused.
    expect(run({ type: 'addRatingDetails', ratingId, reasonCodes: ['R01'] }, 'citizen').ok).toBe(true);
    expect(expectWorded(refused(run({ type: 'addRatingDetails', ratingId, reasonCodes: [] }, 'citizen')), 'details_closed').zh).toBe('补充原因的时间已过');
    const suggestion = { type: 'leaveSuggestion', suggestionId: '0f7d9d1c-3a6e-4d0f-9f7e-2b1c5d8e9a10', categories: ['environment'], text: '', replyPhone: '999', replyConsent: true };
    expect(expectWorded(refused(run(suggestion, 'citizen')), 'reply_phone_invalid').zh).toContain('回复电话不是有效的手机或固定电话号码');

    // A malformed field reaches the screen as a sentence naming the field.
    const tooLong = expectWorded(refused(run({ type: 'openCase', itemCode: '340104-SJ-001', caseNo: 'x'.repeat(500) })), 'input_invalid');
    expect(tooLong.zh).toContain('输入项 caseNo 不符合要求');
  });

  it('says in the screen’s language what stopped a write, and that nothing changed', () => {
    const disk = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(storageCauseOf(new StorageError('could not save to the local database', { cause: disk }))).toBe('disk_full');
    expect(storageCauseOf(Object.assign(new Error('read-only'), { code: 'EROFS' }))).toBe('read_only');
    const error = refusal('storage_failed', 'storage_failed', 'could not save…', { cause: 'disk_full' });
    expect(refusalText(error, 'zh')).toBe('本机存储出错：磁盘已满，请清理数据盘后重试；未做任何更改');
    expect(refusalText(error, 'en')).toBe('this PC’s storage failed: the disk is full: free some space on the data drive, then try again; nothing was changed');
  });

  it('words the admin page’s refusals: wrong PIN, lockout with its minutes, a port that is not there', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 4, 1));
    const desk = new AdminDesk(() => clock.now(), recordingLog());
    const config = { ...defaultConfig(), adminPinHash: hashPin('24681357') };
    const wrong = desk.login(config, '11112222');
    expect(wrong.ok).toBe(false);
    if (wrong.ok) return;
    expect(expectWorded(wrong.error, 'admin_pin_wrong')).toEqual({ zh: '管理员密码错误', en: 'wrong admin PIN' });
    for (let i = 0; i < 4; i++) desk.login(config, '11112222');
    const locked = desk.login(config, '24681357');
    if (locked.ok) throw new Error('the lockout let the right PIN in');
    expect(expectWorded(locked.error, 'admin_locked').zh).toMatch(/^管理员密码错误次数过多：请 \d+ 分钟后再试$/);
    expect(refusalText(locked.error, 'en')).toBe(locked.error.message);

    const settings = { ...defaultConfig(), keypad: { ...defaultConfig().keypad, driver: 'crk1', path: '/dev/ttyCORDIAL-NOT-HERE' } };
    const { adminPinHash: _hash, ...withoutPin } = settings;
    const port = await desk.checkSettings(withoutPin, config);
    if (port.ok) throw new Error('a missing port was accepted');
    expect(expectWorded(port.error, 'serial_port_missing').zh).toBe('串口 /dev/ttyCORDIAL-NOT-HERE 不存在：请插上评价器，或从列表中选择端口');
    expect(refusalText(port.error, 'en')).toBe(port.error.message);
  });

  it('words a sync refusal from its code, keeping the centre’s own sentence for IT', () => {
    const error = refusal('invalid_settings', 'sync_refused', 'enrolment refused: the code has expired', { sync: 'enrolment_refused', detail: 'enrolment refused: the code has expired' });
    expect(refusalText(error, 'zh')).toBe('中心拒绝了注册（enrolment refused: the code has expired）');
    expect(refusalText(error, 'en')).toBe('enrolment refused: the code has expired');
  });

  it('falls back to the core’s sentence for a refusal without a reason, and words a screen’s own sentence', () => {
    expect(refusalText({ code: 'invalid_command', message: 'malformed request' }, 'zh')).toBe('malformed request');
    expect(problemText({ zh: '请选择事项', en: 'Choose an item' }, 'en')).toBe('Choose an item');
    expect(problemText(null, 'zh')).toBeNull();
  });
});
