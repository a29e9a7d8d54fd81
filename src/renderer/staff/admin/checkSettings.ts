/**
 * Checks a settings draft with the very schema the core applies, and words the first
 * problem as a sentence IT can act on, in the panel's language.
 */
import { AdminSettings } from '../../../shared/config';
import type { Bilingual, Lang } from '../../common/lang';

const FIELD_PROBLEMS: Record<string, Bilingual> = {
  'window.windowNo': { zh: '窗口号须为 1 至 16 个字符。', en: 'The window number is 1 to 16 characters.' },
  'window.departmentCode': { zh: '部门编码最多 64 个字符。', en: 'The department code is at most 64 characters.' },
  'window.departmentName': { zh: '部门名称最多 100 个字符。', en: 'The department name is at most 100 characters.' },
  'window.areaCode': { zh: '行政区划代码须为 6 至 12 位数字，如 340104。', en: 'The area code is 6 to 12 digits, e.g. 340104.' },
  'rating.windowSeconds': { zh: '评价等待时长须为 5 至 300 之间的整数秒。', en: 'The rating window is a whole number of seconds from 5 to 300.' },
  'rating.detailsSeconds': { zh: '差评原因填写时长须为 10 至 600 之间的整数秒。', en: 'The time to add reasons is a whole number of seconds from 10 to 600.' },
  'rating.thanksSeconds': { zh: '致谢画面时长须为 1 至 60 之间的整数秒。', en: 'The thanks screen lasts a whole number of seconds from 1 to 60.' },
  closingTime: { zh: '下班时间须写成 时:分，如 17:30。', en: 'The closing time looks like 17:30 (HH:MM).' },
  utcOffset: { zh: '时区须写成 +08:00 的形式。', en: 'The time zone looks like +08:00.' },
  language: { zh: '语言只能是中文或英文。', en: 'The language is Chinese or English.' },
  keyMap: { zh: '按键对应有误：每个按键须对应一个评价等级。', en: 'The key map is wrong: each key needs one rating level.' },
  'speech.volume': { zh: '音量须为 0 至 100 之间的整数。', en: 'The volume is a whole number from 0 to 100.' },
  'keypad.driver': { zh: '请选择评价器类型。', en: 'Choose a keypad driver.' },
  'keypad.path': { zh: '串口路径无效。', en: 'The port path is not valid.' },
  'keypad.baudRate': { zh: '波特率须为 9600、19200、38400、57600 或 115200。', en: 'The baud rate is 9600, 19200, 38400, 57600 or 115200.' },
  'centre.caCertificate': {
    zh: '中心 CA 证书须为 PEM 文本，从 -----BEGIN CERTIFICATE----- 到 -----END CERTIFICATE-----。',
    en: 'The centre CA is PEM text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.',
  },
  'centre.pin': {
    zh: '公钥指纹须为 44 个字符的 Base64，以 = 结尾。',
    en: 'A key pin is 44 characters of base64 ending in =.',
  },
  'centre.url': {
    zh: '中心服务器地址须为以 http:// 或 https:// 开头的完整网址，如 https://zwfw.example.gov.cn。',
    en: 'The centre address must be a full http:// or https:// URL, e.g. https://centre.example.gov.cn.',
  },
};

export type Checked = { ok: true; settings: AdminSettings } | { ok: false; message: string };

export function checkSettings(candidate: unknown, lang: Lang): Checked {
  const parsed = AdminSettings.safeParse(candidate);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  // keyMap.3 and keyMap are the same problem for a person.
  const known = FIELD_PROBLEMS[path.join('.')] ?? FIELD_PROBLEMS[path.slice(0, 2).join('.')] ?? FIELD_PROBLEMS[path[0] ?? ''];
  return { ok: false, message: known ? known[lang] : `${path.join('.') || 'settings'}: ${issue?.message ?? 'not valid'}` };
}

/** "" -> null, for the optional text fields of the forms. */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A form's number field: blank or not a number stays NaN so the schema names the field. */
export function toNumber(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}
