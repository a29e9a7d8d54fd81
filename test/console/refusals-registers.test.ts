/**
 * The refusals of 预约登记, 意见簿 and 个人信息 read whole in the console's language: every
 * reason has Chinese and English words with the same figures, filled from what the centre
 * sends, and a phone the contract refuses in the browser is named as a phone, not as English.
 */
import { describe, expect, it } from 'vitest';
import type { RefusalFields } from '../../src/shared/console/refusals';
import { REGISTER_REFUSALS, type RegisterRefusal } from '../../src/shared/console/refusals/registers';
import { ErasePhoneBody } from '../../src/shared/console/privacy-contract';
import { NewAppointmentBody } from '../../src/shared/console/appointments-contract';
import { ApiError, build } from '../../server/console/src/api';
import { STRINGS } from '../../server/console/src/i18n';
import { refusalWords } from '../../server/console/src/refusals';
import { checkingPhone, REGISTER_WORDS } from '../../server/console/src/refusals/registers';
import { sentence } from '../../server/console/src/session';

const HAN = /[\u4e00-\u9fff]/;
const HOLE = /\{\w+\}/;
const holes = (text: string) => new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

/** The figures each reason carries, as the centre's routes send them (one or more cases each). */
const SENT: Record<RegisterRefusal, RefusalFields[]> = {
  'appointments.phone_invalid': [{}],
  'appointments.other_department': [{ own: '340104-SJ', department: '340104-GA' }, { own: '340104-SJ', department: '' }],
  'appointments.not_found': [{ id: 999999 }, { id: 'abc' }],
  'appointments.date_past': [{ date: '2026-02-11', today: '2026-02-12' }],
  'appointments.item_unknown': [{ item: 'NO-SUCH' }],
  'appointments.window_unknown': [{ window: '99' }],
  'appointments.already_served': [{ id: 7, window: '12', mark: 'cancelled' }, { id: 7, window: '12', mark: 'no_show' }],
  'appointments.already_marked': [{ id: 7, marked: 'cancelled', by: 'sj.head' }, { id: 7, marked: 'no_show', by: '' }],
  'appointments.too_early_for_no_show': [{ id: 7, date: '2026-02-12', time: '09:15' }],
  'suggestions.not_found': [{ id: 12 }, { id: 'x1' }],
  'suggestions.closed': [{ id: 12 }],
  'suggestions.closed_meanwhile': [{ id: 12 }],
  'suggestions.not_answered': [{ id: 12 }],
  'suggestions.already_closed': [{ id: 12 }],
  'privacy.data_key_mismatch': [{}],
  'privacy.phone_invalid': [{}],
};

describe('refusals of the registers on the console', () => {
  it('words every reason of the family in Chinese and English, every figure filled, ending as a sentence', () => {
    expect(Object.keys(SENT).sort()).toEqual([...REGISTER_REFUSALS].sort());
    for (const reason of REGISTER_REFUSALS) {
      for (const fields of SENT[reason]) {
        const zh = refusalWords({ reason, fields }, 'zh')!;
        const en = refusalWords({ reason, fields }, 'en')!;
        expect(zh, reason).toMatch(HAN);
        expect(zh, reason).not.toMatch(HOLE);
        expect(zh, reason).toMatch(/。$/);
        expect(en, reason).not.toMatch(HAN);
        expect(en, reason).not.toMatch(HOLE);
        expect(en, reason).toMatch(/\.$/);
        // Every figure sent that is not a code is said in both languages.
        for (const [name, value] of Object.entries(fields)) {
          if (name === 'mark' || name === 'marked' || value === '') continue;
          expect(zh, `${reason} zh ${name}`).toContain(String(value));
          expect(en, `${reason} en ${name}`).toContain(String(value));
        }
      }
    }
  });

  it('has the same holes in Chinese and English where the words are sentences with holes', () => {
    for (const reason of REGISTER_REFUSALS) {
      const words = REGISTER_WORDS[reason];
      if (typeof words === 'function') continue;
      expect(holes(words.zh), reason).toEqual(holes(words.en));
      for (const fields of SENT[reason]) expect(new Set(Object.keys(fields)), reason).toEqual(holes(words.zh));
    }
  });

  it('names a mark by the register’s own words, and a refusal without a department or a marker still reads', () => {
    const served = { reason: 'appointments.already_served', fields: { id: 7, window: '12', mark: 'no_show' } };
    expect(refusalWords(served, 'zh')).toBe('预约 7 已在 12 号窗口办理（窗口已从该预约办件），不能再标记为未到。');
    expect(refusalWords(served, 'en')).toBe('Appointment 7 was already served at window 12 (a case was opened from it), so it cannot be marked as not come.');
    const marked = { reason: 'appointments.already_marked', fields: { id: 7, marked: 'cancelled', by: '' } };
    expect(refusalWords(marked, 'zh')).toBe('预约 7 已被他人标记为「已取消」。请刷新登记表查看。');
    expect(refusalWords(marked, 'en')).toBe('Appointment 7 was already marked “Cancelled” by someone else. Reload the register to see it.');
    const other = { reason: 'appointments.other_department', fields: { own: '340104-SJ', department: '' } };
    expect(refusalWords(other, 'zh')).toContain('这一预约不属于任何部门');
    expect(refusalWords(other, 'en')).toContain('this one belongs to no department');
  });

  it('says a phone the contract refuses in the browser as a phone, in the reader’s language, and leaves other input to the general words', () => {
    const refusedAs = (make: () => unknown): unknown => {
      try {
        make();
      } catch (err) {
        return err;
      }
      throw new Error('the contract took it');
    };
    const appointment = { applicantKind: 'person', applicantName: '李建国', phone: '12ab', itemCode: 'X', windowNo: '9', agreedDate: '2026-02-12', agreedTime: '10:30', channel: 'phone' } as const;
    const phone = refusedAs(() => checkingPhone('appointments.phone_invalid', () => build(NewAppointmentBody, appointment)));
    expect(phone).toBeInstanceOf(ApiError);
    // The English sentence is kept as the contract says it; the reader sees the words.
    expect((phone as ApiError).message).toContain('the contact phone is a mainland mobile');
    expect(sentence(STRINGS.zh, phone)).toBe('联系电话应为 11 位手机号（以 1 开头）或带区号的座机号，如 0551-62345678。请改正后再登记。');
    expect(sentence(STRINGS.en, phone)).toMatch(/^The contact phone must be a mainland mobile/);
    const erase = refusedAs(() => checkingPhone('privacy.phone_invalid', () => build(ErasePhoneBody, { phone: '12345' })));
    expect(sentence(STRINGS.zh, erase)).toMatch(/^这不是有效的电话号码/);
    // Another field of the same form keeps the general reason.
    const time = refusedAs(() => checkingPhone('appointments.phone_invalid', () => build(NewAppointmentBody, { ...appointment, phone: '13812345678', agreedTime: '25:00' })));
    expect((time as ApiError).said?.reason).toBe('general.input_invalid');
    expect(sentence(STRINGS.zh, time)).toMatch(/^输入有误：agreedTime/);
  });
});
