/**
 * Every refusal of the IT pages (lists, terminals, codes, alerts, window hours, wall tokens,
 * figures and periods) reads as a whole sentence in Chinese and in English once the centre's
 * figures fill it: no hole left, Chinese in the Chinese one and none of its own in the
 * English one, the same figures in both, and each figure the centre sends shown.
 */
import { describe, expect, it } from 'vitest';
import type { RefusalFields } from '../../src/shared/console/refusals';
import { IT_REFUSALS, type ItRefusal } from '../../src/shared/console/refusals/it';
import { STRINGS } from '../../server/console/src/i18n';
import { refusalWords } from '../../server/console/src/refusals';
import { IT_WORDS } from '../../server/console/src/refusals/it';
import { ApiError } from '../../server/console/src/api';
import { sentence } from '../../server/console/src/session';

const HAN = /[\u4e00-\u9fff]/;
const HOLE = /\{(\w+)\}/g;
const AT = Date.UTC(2026, 2, 2, 1, 30);

/** The figures the centre sends with each reason (server/src: console-it, hall, figures, reports/periods). */
const SENT: Record<ItRefusal, RefusalFields> = {
  'it.staff_unknown': { staffNo: '2001' },
  'it.staff_photo_missing': { staffNo: '2001' },
  'it.badge_taken': { badge: 'B-2001', name: '周丽', staffNo: '2001' },
  'it.photo_unreadable': {},
  'it.photo_not_image': {},
  'it.photo_too_large': { kb: 312, maxKb: 200 },
  'it.reason_unknown': { code: 'R08' },
  'it.referral_target_unknown': { code: 'T-SJ' },
  'it.terminal_unknown': { terminalId: 'kiosk-4' },
  'it.terminal_revoked': { terminalId: 'kiosk-4' },
  'it.alert_unknown': { alertId: 17 },
  'it.alert_acknowledged': { by: 'it.zhou', at: AT, note: '网线松动，已插好' },
  'it.code_unknown': { codeId: 9 },
  'it.code_used': { terminalId: 'kiosk-4' },
  'hall.window_unknown': { windowNo: '99' },
  'hall.hours_half': { day: 5 },
  'hall.hours_backwards': { day: 2, opens: '14:00', closes: '12:00' },
  'hall.wall_token_unknown': { id: 3 },
  'hall.wall_token_revoked': { name: '一楼大厅' },
  'figures.cursor_invalid': {},
  'figures.other_department': { department: '340104-RS', key: '340104-SJ' },
  'figures.not_a_date': { date: '2026-02-30' },
  'figures.range_backwards': { from: '2026-04-03', to: '2026-03-28' },
};

/** Figures a sentence shows as words of its own language rather than as sent: a weekday number, a time. */
const WORDED: Partial<Record<ItRefusal, Record<string, { zh: string; en: string }>>> = {
  'hall.hours_half': { day: { zh: '周六', en: 'Saturday' } },
  'hall.hours_backwards': { day: { zh: '周三', en: 'Wednesday' } },
};

const holes = (text: string) => new Set([...text.matchAll(HOLE)].map((m) => m[1]));

describe('the IT refusals in Chinese and English', () => {
  it('has words for each reason, and a figure set for each in this test', () => {
    expect(Object.keys(IT_WORDS).sort()).toEqual([...IT_REFUSALS].sort());
    expect(Object.keys(SENT).sort()).toEqual([...IT_REFUSALS].sort());
  });

  for (const reason of IT_REFUSALS) {
    it(`${reason}: a whole sentence in each language, every figure shown, no hole left`, () => {
      const fields = SENT[reason];
      const words = IT_WORDS[reason];
      if (typeof words !== 'function') {
        // The same figures in both languages, and exactly the figures the centre sends.
        expect(holes(words.zh), 'zh and en holes').toEqual(holes(words.en));
        expect(holes(words.zh), 'holes and figures').toEqual(new Set(Object.keys(fields)));
      }
      for (const language of ['zh', 'en'] as const) {
        const said = refusalWords({ reason, fields }, language);
        expect(said, language).not.toBeNull();
        const text = said!;
        expect(text, language).not.toMatch(HOLE);
        expect(text, language).toMatch(language === 'zh' ? /。$/ : /\.$/);
        for (const [name, value] of Object.entries(fields)) {
          const shown = WORDED[reason]?.[name]?.[language] ?? (name === 'at' ? null : String(value));
          if (shown !== null) expect(text, `${language} shows ${name}`).toContain(shown);
        }
        // Without the figures (names, notes), the English sentence has no Chinese of its own.
        const bare = Object.values(fields).reduce<string>((t, v) => t.split(String(v)).join(''), text);
        if (language === 'zh') expect(bare).toMatch(HAN);
        else expect(bare).not.toMatch(HAN);
      }
    });
  }

  it('says when an alert was acknowledged the way the pages write times', () => {
    const fields = SENT['it.alert_acknowledged'];
    expect(refusalWords({ reason: 'it.alert_acknowledged', fields }, 'zh')).toBe(
      `it.zhou 已于 ${new Date(AT).toLocaleString('zh-CN', { hour12: false })} 确认过这条告警（说明：“网线松动，已插好”），无需再次确认。`,
    );
    expect(refusalWords({ reason: 'it.alert_acknowledged', fields }, 'en')).toBe(
      `it.zhou already acknowledged this alert at ${new Date(AT).toLocaleString('en-GB', { hour12: false })} (note: "网线松动，已插好"); there is nothing more to do.`,
    );
  });

  it('replaces the old lead and English sentence on the page', () => {
    const err = new ApiError(409, 'badge-taken', 'badge B-2001 belongs to 周丽 (2001); take it off their record first', null, { reason: 'it.badge_taken', fields: SENT['it.badge_taken'] });
    expect(sentence(STRINGS.zh, err)).toBe('工牌 B-2001 已登记在 周丽（工号 2001）名下，未做任何更改。请先从其人员记录中去掉这张工牌，再保存。');
    expect(sentence(STRINGS.en, err)).toBe('Badge B-2001 belongs to 周丽 (2001); nothing was changed. Take it off their record first, then save again.');
  });
});
