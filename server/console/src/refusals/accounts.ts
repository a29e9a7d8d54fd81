/**
 * The console's words for the refusals of src/shared/console/refusals/accounts.ts, in Chinese and English.
 * A lockout's wait is said here, from the seconds the centre sends, and only here: a worded refusal
 * replaces the page's lead and its restated wait. Sign-in refusals stay as neutral as the centre's:
 * none tells whether a user name exists.
 */
import type { RefusalFields } from '../../../../src/shared/console/refusals';
import type { AccountRefusal } from '../../../../src/shared/console/refusals/accounts';
import { CONSOLE_ROLES, type ConsoleRole } from '../../../../src/shared/console/contract';
import { STRINGS, type Language } from '../i18n';
import { fill, type Words } from './words';

/** The sentences, with `{hole}`s: the centre's figures, and `{wait}` / `{roleName}` worded here from them. */
export const ACCOUNT_SENTENCES: Record<AccountRefusal, { zh: string; en: string }> = {
  'accounts.sign_in_failed': {
    zh: '用户名或密码不正确。请核对两者后重试。',
    en: 'The user name or the password is wrong. Check both and try again.',
  },
  'accounts.account_disabled': {
    zh: '此账号已停用。请联系管理员启用。',
    en: 'This account is disabled. Ask an admin to enable it.',
  },
  'accounts.locked_out': {
    zh: '此用户名的密码错误次数过多，已暂时锁定。请在 {wait}后再试，或请管理员重置密码。',
    en: 'Too many wrong passwords for this user name. Try again in {wait}, or ask an admin to reset the password.',
  },
  'accounts.too_many_failed_sign_ins': {
    zh: '这台电脑登录失败的次数过多。请在 {wait}后再试。',
    en: 'Too many failed sign-ins from this computer. Try again in {wait}.',
  },
  'accounts.not_signed_in': {
    zh: '您尚未登录，或登录已失效。请重新登录。',
    en: 'You are not signed in, or your session has ended. Sign in again.',
  },
  'accounts.csrf_token_invalid': {
    zh: '此操作缺少页面的安全令牌，未做任何更改。请刷新页面后重试。',
    en: 'This change did not carry the page’s security token; nothing was changed. Reload the page and try again.',
  },
  'accounts.role_not_allowed': {
    zh: '{roleName}不能使用管理台的这一部分。如需使用，请联系管理员。',
    en: '{roleName} may not use this part of the console. Ask an admin if you need it.',
  },
  'accounts.no_department': {
    zh: '您的账号未设置部门。请联系管理员设置部门。',
    en: 'Your account belongs to no department. Ask an admin to set your department.',
  },
  'accounts.other_department': {
    zh: '您只能查看本部门（{own}）的内容，不能查看 {requested}。',
    en: 'You may see only your own department ({own}), not {requested}.',
  },
  'accounts.account_gone': {
    zh: '您的账号已不存在。请重新登录。',
    en: 'Your account no longer exists. Sign in again.',
  },
  'accounts.current_password_wrong': {
    zh: '当前密码不正确，密码未修改。',
    en: 'The current password is wrong; your password was not changed.',
  },
  'accounts.already_set_up': {
    zh: '本中心已有管理员。请登录，或请管理员为您创建账号。',
    en: 'This centre already has an admin. Sign in, or ask an admin for an account.',
  },
  'accounts.setup_link_invalid': {
    zh: '此设置链接有误或已过期。请重启中心服务器以打印新的链接。',
    en: 'This setup link is wrong or has expired. Restart the centre to print a new one.',
  },
  'accounts.username_taken': {
    zh: '用户名 {username} 已被使用。请换一个。',
    en: 'The user name {username} is taken. Choose another.',
  },
  'accounts.no_such_user': {
    zh: '没有用户 {username}。请刷新用户列表。',
    en: 'There is no user {username}. Reload the list of users.',
  },
  'accounts.department_needed': {
    zh: '部门负责人和回访专员必须设置部门。请填写部门后再保存。',
    en: 'A department head or follow-up officer needs a department. Fill in the department and save again.',
  },
  'accounts.last_admin': {
    zh: '这是唯一启用中的管理员。请先设置另一位管理员，以便仍有人能管理本中心。',
    en: 'This is the only active admin. Make another admin first, so someone can still manage the centre.',
  },
};

/** "3 分钟" / "45 seconds": minutes from two minutes up, as the page said the wait before. */
export function waitWords(seconds: unknown, language: Language): string {
  const s = typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : null;
  if (s === null) return language === 'zh' ? '片刻' : 'a little while';
  if (s >= 120) return language === 'zh' ? `${Math.ceil(s / 60)} 分钟` : `${Math.ceil(s / 60)} minutes`;
  return language === 'zh' ? `${s} 秒` : s === 1 ? '1 second' : `${s} seconds`;
}

/** "“只读”角色" / "The Viewer role", with the role's name as the users page shows it; a code this console does not know is left as it came. */
function roleName(role: unknown, language: Language): string {
  const known = (CONSOLE_ROLES as readonly unknown[]).includes(role) ? STRINGS[language].roles[role as ConsoleRole] : typeof role === 'string' && role ? role : null;
  if (known === null) return language === 'zh' ? '您的角色' : 'Your role';
  return language === 'zh' ? `“${known}”角色` : `The ${known} role`;
}

/** The holes worded here from the centre's figures, beside the figures themselves. */
function worded(reason: AccountRefusal, fields: RefusalFields, language: Language): RefusalFields {
  if (reason === 'accounts.locked_out' || reason === 'accounts.too_many_failed_sign_ins') return { ...fields, wait: waitWords(fields.seconds, language) };
  if (reason === 'accounts.role_not_allowed') return { ...fields, roleName: roleName(fields.role, language) };
  return fields;
}

export const ACCOUNT_WORDS = Object.fromEntries(
  (Object.keys(ACCOUNT_SENTENCES) as AccountRefusal[]).map((reason) => [
    reason,
    ((fields: RefusalFields, language: Language) => fill(ACCOUNT_SENTENCES[reason][language], worded(reason, fields, language))) satisfies Words,
  ]),
) as Record<AccountRefusal, Words>;
