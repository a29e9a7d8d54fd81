/**
 * Refusals of sign-in, sessions, first setup and the users page, as the console says them:
 * every reason reads whole in Chinese and in English with the figures the centre sends, the
 * lockout's wait is said once, in the reader's words, and a wrong password reads as neutrally
 * as the centre's own sentence.
 */
import { describe, expect, it } from 'vitest';
import type { RefusalFields } from '../../src/shared/console/refusals';
import { ACCOUNT_REFUSALS, type AccountRefusal } from '../../src/shared/console/refusals/accounts';
import { ApiError } from '../../server/console/src/api';
import { STRINGS } from '../../server/console/src/i18n';
import { refusalWords } from '../../server/console/src/refusals';
import { ACCOUNT_SENTENCES } from '../../server/console/src/refusals/accounts';
import { sentence } from '../../server/console/src/session';

const HAN = /[\u4e00-\u9fff]/;
const HOLE = /\{(\w+)\}/g;
const holes = (template: string) => new Set([...template.matchAll(HOLE)].map((m) => m[1]));

/** What the centre sends with each reason (test/centre/accounts-refusals.test.ts checks the centre sends these names). */
const FIGURES: Record<AccountRefusal, RefusalFields> = {
  'accounts.sign_in_failed': {},
  'accounts.account_disabled': {},
  'accounts.locked_out': { seconds: 60 },
  'accounts.too_many_failed_sign_ins': { seconds: 600 },
  'accounts.not_signed_in': {},
  'accounts.csrf_token_invalid': {},
  'accounts.role_not_allowed': { role: 'viewer' },
  'accounts.no_department': {},
  'accounts.other_department': { own: 'D01', requested: 'D02' },
  'accounts.account_gone': {},
  'accounts.current_password_wrong': {},
  'accounts.already_set_up': {},
  'accounts.setup_link_invalid': {},
  'accounts.username_taken': { username: 'li.sup' },
  'accounts.no_such_user': { username: 'gone.user' },
  'accounts.department_needed': {},
  'accounts.last_admin': {},
};

const say = (reason: AccountRefusal, fields: RefusalFields, language: 'zh' | 'en') => refusalWords({ reason, fields }, language);

describe('account refusals on the console', () => {
  it('words every reason whole in Chinese and in English, with the same holes in both', () => {
    expect(Object.keys(FIGURES).sort()).toEqual([...ACCOUNT_REFUSALS].sort());
    for (const reason of ACCOUNT_REFUSALS) {
      const zh = say(reason, FIGURES[reason], 'zh');
      const en = say(reason, FIGURES[reason], 'en');
      expect(zh, reason).toMatch(HAN);
      expect(zh, reason).toMatch(/。$/);
      expect(zh, reason).not.toMatch(HOLE);
      expect(en, reason).toMatch(/\.$/);
      expect(en, reason).not.toMatch(HOLE);
      expect(en, reason).not.toMatch(HAN);
      expect(holes(ACCOUNT_SENTENCES[reason].zh), reason).toEqual(holes(ACCOUNT_SENTENCES[reason].en));
      // A figure the centre sends as it is (a name, a department code) is there for the reader to see.
      for (const value of Object.values(FIGURES[reason])) {
        if (typeof value === 'string' && reason !== 'accounts.role_not_allowed') {
          expect(zh, reason).toContain(value);
          expect(en, reason).toContain(value);
        }
      }
    }
  });

  it('says the lockout’s wait once, in the reader’s words, from the seconds the centre sends', () => {
    const locked = (seconds: number) =>
      new ApiError(429, 'locked-out', 'too many wrong passwords for this user name; try again in 5 minutes, or ask an admin to reset the password', seconds, {
        reason: 'accounts.locked_out',
        fields: { seconds },
      });
    const zh = sentence(STRINGS.zh, locked(300), STRINGS.zh.errors.signIn);
    expect(zh).toBe('此用户名的密码错误次数过多，已暂时锁定。请在 5 分钟后再试，或请管理员重置密码。');
    expect(zh.match(/再试/g)).toHaveLength(1);
    expect(zh).not.toMatch(/[A-Za-z]/);
    const en = sentence(STRINGS.en, locked(300), STRINGS.en.errors.signIn);
    expect(en).toBe('Too many wrong passwords for this user name. Try again in 5 minutes, or ask an admin to reset the password.');
    expect(en.match(/try again/gi)).toHaveLength(1);
    // Under two minutes the wait is counted in seconds, as the page said it before.
    expect(say('accounts.locked_out', { seconds: 60 }, 'zh')).toContain('请在 60 秒后再试');
    expect(say('accounts.too_many_failed_sign_ins', { seconds: 1 }, 'en')).toBe('Too many failed sign-ins from this computer. Try again in 1 second.');
    expect(say('accounts.too_many_failed_sign_ins', { seconds: 121 }, 'zh')).toBe('这台电脑登录失败的次数过多。请在 3 分钟后再试。');
  });

  it('replaces sign-in’s own lead, and tells nothing about whether the name exists', () => {
    const wrong = new ApiError(401, 'sign-in-failed', 'the user name or the password is wrong; check both and try again', null, { reason: 'accounts.sign_in_failed', fields: {} });
    expect(sentence(STRINGS.zh, wrong, STRINGS.zh.errors.signIn)).toBe('用户名或密码不正确。请核对两者后重试。');
    expect(sentence(STRINGS.en, wrong, STRINGS.en.errors.signIn)).toBe('The user name or the password is wrong. Check both and try again.');
    for (const reason of ['accounts.sign_in_failed', 'accounts.locked_out', 'accounts.too_many_failed_sign_ins'] as const) {
      expect(say(reason, FIGURES[reason], 'zh'), reason).not.toMatch(/不存在|未注册|没有此用户|没有用户/);
      expect(say(reason, FIGURES[reason], 'en'), reason).not.toMatch(/exist|unknown|no such|no user/i);
    }
  });

  it('names the role by the name the users page gives it, and keeps a code it does not know', () => {
    expect(say('accounts.role_not_allowed', { role: 'viewer' }, 'zh')).toBe('“只读”角色不能使用管理台的这一部分。如需使用，请联系管理员。');
    expect(say('accounts.role_not_allowed', { role: 'follow_up' }, 'en')).toBe('The Follow-up officer role may not use this part of the console. Ask an admin if you need it.');
    expect(say('accounts.role_not_allowed', { role: 'auditor' }, 'en')).toContain('The auditor role');
    expect(say('accounts.role_not_allowed', {}, 'zh')).toBe('您的角色不能使用管理台的这一部分。如需使用，请联系管理员。');
  });
});
