/**
 * What a change to the centre's rules or lists did, as the audit log keeps it: the facts, not a
 * sentence, so the console words them in the reader's language. The centre also keeps the
 * English sentence beside them (the entry's detail) for whoever reads the API or the table.
 * Facts never hold a secret: the routes that write them leave signing secrets, tokens and
 * their hashes, enrolment codes, PINs, photos' bytes, whole badge numbers and the parts of a webhook
 * address that could carry a key out before they get here.
 */
import type { WebhookEvent } from './live-contract';

export type AuditLanguage = 'zh' | 'en';

/** One field of a rule, before → after; a value is plain text, a list space-separated, null for none. */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

export interface AuditMaterial {
  name: string;
  form: 'original' | 'copy';
  count: number;
  notes: string | null;
}

export type AuditFacts = (
  | { kind: 'fields'; changes: FieldChange[] }
  | { kind: 'window_hours'; windowNo: string; changes: FieldChange[] }
  | { kind: 'webhook_added'; address: string; trimmed: boolean; rules: WebhookEvent[]; description: string }
  | { kind: 'webhook_disabled'; address: string; trimmed: boolean }
  | { kind: 'calendar_set'; year: number; holidaysAdded: string[]; holidaysRemoved: string[]; workdaysAdded: string[]; workdaysRemoved: string[]; holidays: number; workdays: number }
  | { kind: 'calendar_import'; years: { year: number; holidays: number; workdays: number }[] }
  | { kind: 'item_saved'; name: string; added: boolean; changes: FieldChange[]; materialsAdded: AuditMaterial[]; materialsRemoved: AuditMaterial[]; materialsBefore: number; materialsAfter: number }
  | { kind: 'items_replaced'; items: number; withInfo: number }
  | { kind: 'wall_token_created' | 'wall_token_revoked'; display: string }
  | { kind: 'terminal_rotation_asked' | 'terminal_revoked' }
  // the lists handed to the windows (the entry's subject is the staff number, code or window)
  | { kind: 'staff_saved'; name: string; added: boolean; changes: FieldChange[]; badgesAdded: string[]; badgesRemoved: string[] }
  | { kind: 'staff_photo'; set: boolean }
  | { kind: 'row_saved'; name: string; added: boolean; changes: FieldChange[] }
  | { kind: 'row_removed'; name: string }
  | { kind: 'list_replaced'; rows: number; added: number; changed: number; removed: number }
  | { kind: 'window_saved'; added: boolean; changes: FieldChange[] }
  | { kind: 'enrolment_code_made'; windowNo: string; expiresInHours: number; expiresAt: number }
  | { kind: 'enrolment_code_revoked'; windowNo: string }
  // who may call the centre (the subject is the API token's name, or the terminal id)
  | { kind: 'api_token_made'; roles: ApiTokenRole[] }
  | { kind: 'api_token_revoked'; tokens: number }
  | { kind: 'terminal_replace_allowed'; windowNo: string; wasRevoked: boolean }
  | { kind: 'terminal_epoch_allowed'; windowNo: string; epoch: number }
) & {
  /** Set when a script made the change: the name of its token ('admin' for the centre's admin token), never its value. */
  token?: string;
};

/** The roles a script's API token may carry. */
export type ApiTokenRole = 'reports' | 'follow_up';

type Words = Record<AuditLanguage, string>;
const w = (zh: string, en: string): Words => ({ zh, en });

const TOKEN_ROLES: Record<ApiTokenRole, Words> = {
  reports: w('读报表', 'reports'),
  follow_up: w('回访（看完整回访电话）', 'follow-up (sees callback phones in full)'),
};

const RULE_NAMES: Record<WebhookEvent, Words> = {
  poor_burst: w('差评集中', 'Poor ratings bunched'),
  due_tomorrow: w('明天到期', 'Due tomorrow'),
  overdue: w('已逾期', 'Overdue'),
  integrity_alert: w('完整性告警', 'Integrity alert'),
  not_open: w('未按时开窗', 'Window not open'),
  long_pause: w('暂停超时', 'Pause too long'),
  keypad_offline: w('评价器离线', 'Keypad offline'),
  long_case: w('办件超时', 'Case too long'),
  terminal_silent: w('终端失联', 'Terminal silent'),
};

const FIELDS: Record<string, Words> = {
  // alert rules
  'poorBurst.enabled': w('差评集中 · 启用', 'Poor ratings bunched · on'),
  'poorBurst.count': w('差评集中 · 差评数至少', 'Poor ratings bunched · at least'),
  'poorBurst.minutes': w('差评集中 · 时间范围（分钟）', 'Poor ratings bunched · within (minutes)'),
  'dueTomorrow.enabled': w('明天到期 · 启用', 'Due tomorrow · on'),
  'overdue.enabled': w('已逾期 · 启用', 'Overdue · on'),
  // window rules
  'notOpen.enabled': w('未按时开窗 · 启用', 'Window not open · on'),
  'notOpen.graceMinutes': w('未按时开窗 · 开窗后宽限（分钟）', 'Window not open · grace (minutes)'),
  'longPause.enabled': w('暂停超时 · 启用', 'Pause too long · on'),
  'longPause.defaultLimitMinutes': w('暂停超时 · 默认暂停时限（分钟）', 'Pause too long · default limit (minutes)'),
  'keypadOffline.enabled': w('评价器离线 · 启用', 'Keypad offline · on'),
  'keypadOffline.minutes': w('评价器离线 · 持续（分钟）', 'Keypad offline · for (minutes)'),
  'longCase.enabled': w('办件超时 · 启用', 'Case too long · on'),
  'longCase.defaultMinutes': w('办件超时 · 默认时限（分钟）', 'Case too long · default limit (minutes)'),
  'terminalSilent.enabled': w('终端失联 · 启用', 'Terminal silent · on'),
  'terminalSilent.minutes': w('终端失联 · 持续（分钟）', 'Terminal silent · for (minutes)'),
  // a window's hours
  opensAt: w('开窗（周一至周日）', 'Opens (Monday to Sunday)'),
  closesAt: w('关窗（周一至周日）', 'Closes (Monday to Sunday)'),
  pauseLimitMinutes: w('暂停时限（分钟）', 'Pause limit (minutes)'),
  floor: w('楼层', 'Floor'),
  // the centre's settings
  utcOffset: w('时区', 'Time zone'),
  'ratingPolicy.windowSeconds': w('评价等待（秒）', 'Rating window (seconds)'),
  'ratingPolicy.detailsSeconds': w('差评详情停留（秒）', 'Details screen (seconds)'),
  'ratingPolicy.defaultRating.level': w('未评价默认等级', 'Default level for unrated'),
  'ratingPolicy.defaultRating.afterDays': w('未评价默认前天数', 'Days before the default applies'),
  'ratingPolicy.defaultRating': w('未评价默认', 'Default for unrated'),
  'followUp.workingDays': w('回访期限（工作日）', 'Follow-up deadline (working days)'),
  'followUp.holidays': w('设置中的节假日', 'Holidays in the settings'),
  'followUp.workdays': w('设置中的调休上班日', 'Working weekend days in the settings'),
  'privacy.phoneRetentionDays': w('回访电话保留天数', 'Callback phone kept (days)'),
  'export.satisfactionDirection': w('导出满意度编码方向', 'Export satisfaction coding'),
  // a service item
  name: w('名称', 'Name'),
  departmentCode: w('部门编码', 'Department code'),
  departmentName: w('部门名称', 'Department name'),
  active: w('在用', 'In use'),
  promisedTime: w('承诺时限', 'Promised time'),
  fees: w('收费', 'Fees'),
  whereToAsk: w('咨询', 'Where to ask'),
  // a reason code, a referral target, a window
  labelZh: w('中文名称', 'Chinese label'),
  labelEn: w('英文名称', 'English label'),
  sort: w('排序', 'Order'),
  kind: w('类别', 'Kind'),
  areaCode: w('行政区划代码', 'Area code'),
  closingTime: w('关窗时间', 'Closing time'),
  ratingWindowSeconds: w('评价等待（秒）', 'Rating window (seconds)'),
  detailsSeconds: w('差评详情停留（秒）', 'Details screen (seconds)'),
};

/** A staff member's fields: a person has a 姓名, not a 名称. */
const STAFF_FIELDS: Record<string, Words> = {
  name: w('姓名', 'Name'),
  active: w('在岗', 'On the list'),
};

/** The parts of the rules an entry's subject may name, besides the fields above. */
const PARTS: Record<string, Words> = {
  poorBurst: RULE_NAMES.poor_burst,
  dueTomorrow: RULE_NAMES.due_tomorrow,
  overdue: RULE_NAMES.overdue,
  notOpen: RULE_NAMES.not_open,
  longPause: RULE_NAMES.long_pause,
  keypadOffline: RULE_NAMES.keypad_offline,
  longCase: RULE_NAMES.long_case,
  terminalSilent: RULE_NAMES.terminal_silent,
  ratingPolicy: w('评价规则', 'Rating policy'),
  followUp: w('回访', 'Follow-up'),
  privacy: w('个人信息', 'Personal data'),
  export: w('导出', 'Export'),
};

/**
 * A rule change's subject in the reader's language: the rules or settings it names (as the
 * centre lists them, comma-separated) in words; ids (a window, an item, a year, #3) as they are.
 */
export function subjectName(subject: string, language: AuditLanguage): string {
  return subject
    .split(', ')
    .map((part) => PARTS[part]?.[language] ?? (FIELDS[part] ? fieldName(part, language) : part))
    .join(language === 'zh' ? '、' : ', ');
}

/** A field's name in the reader's language; a field the console has no name for shows as the centre named it. */
export function fieldName(field: string, language: AuditLanguage): string {
  const known = FIELDS[field];
  if (known) return known[language];
  const byItem = /^longCase\.byItem\.(.+)$/.exec(field);
  if (byItem) return language === 'zh' ? `办件超时 · 事项 ${byItem[1]} 时限（分钟）` : `Case too long · item ${byItem[1]} limit (minutes)`;
  const channel = /^export\.channelCodes\.(.+)$/.exec(field);
  if (channel) return language === 'zh' ? `导出渠道编码 · ${channel[1]}` : `Export channel code · ${channel[1]}`;
  const column = /^export\.fieldNames\.(.+)$/.exec(field);
  if (column) return language === 'zh' ? `导出列名 · ${column[1]}` : `Export column name · ${column[1]}`;
  return field;
}

function value(v: string | null, language: AuditLanguage): string {
  if (v === null || v === '') return '—';
  if (v === 'true') return language === 'zh' ? '开' : 'on';
  if (v === 'false') return language === 'zh' ? '关' : 'off';
  if (v === 'on_the_spot') return language === 'zh' ? '即办' : 'on the spot';
  const days = /^working_days:(\d+)$/.exec(v);
  if (days) return language === 'zh' ? `${days[1]} 个工作日` : `${days[1]} working days`;
  return v;
}

const list = (items: readonly string[], language: AuditLanguage) => items.join(language === 'zh' ? '、' : ', ');
const changeLines = (changes: readonly FieldChange[], language: AuditLanguage, names: Record<string, Words> = {}) =>
  changes.map((c) => `${names[c.field]?.[language] ?? fieldName(c.field, language)}${language === 'zh' ? '：' : ': '}${value(c.before, language)} → ${value(c.after, language)}`);
const join = (lines: readonly string[], language: AuditLanguage) => lines.join(language === 'zh' ? '；' : '; ');
const unchanged = (language: AuditLanguage) => (language === 'zh' ? '已保存，没有改动' : 'saved unchanged');
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function material(m: AuditMaterial, language: AuditLanguage): string {
  if (language === 'zh') return `${m.name}（${m.form === 'original' ? '原件' : '复印件'} ×${m.count}${m.notes ? `，${m.notes}` : ''}）`;
  return `${m.name} (${m.form} ×${m.count}${m.notes ? `, ${m.notes}` : ''})`;
}

function trimmedNote(trimmed: boolean, language: AuditLanguage): string {
  if (!trimmed) return '';
  return language === 'zh' ? '（已略去账号、密钥和查询参数）' : ' (credentials, keys and query left out)';
}

function body(f: AuditFacts, language: AuditLanguage): string {
  const zh = language === 'zh';
  switch (f.kind) {
    case 'fields': {
      const lines = changeLines(f.changes, language);
      return lines.length ? join(lines, language) : unchanged(language);
    }
    case 'window_hours': {
      const lines = changeLines(f.changes, language);
      const what = lines.length ? join(lines, language) : unchanged(language);
      return zh ? `窗口 ${f.windowNo} 的作息：${what}` : `hours of window ${f.windowNo}: ${what}`;
    }
    case 'webhook_added': {
      const rules = f.rules.length ? list(f.rules.map((r) => RULE_NAMES[r]?.[language] ?? r), language) : zh ? '全部' : 'all';
      const description = f.description ? (zh ? `，“${f.description}”` : `, "${f.description}"`) : '';
      return zh ? `添加：${f.address}${trimmedNote(f.trimmed, language)}，接收提醒：${rules}${description}` : `added: ${f.address}${trimmedNote(f.trimmed, language)}, alerts ${rules}${description}`;
    }
    case 'webhook_disabled':
      return zh ? `停用：${f.address}${trimmedNote(f.trimmed, language)}` : `disabled: ${f.address}${trimmedNote(f.trimmed, language)}`;
    case 'calendar_set': {
      const lines = zh
        ? [
            ...(f.holidaysAdded.length ? [`新增节假日 ${f.holidaysAdded.join(' ')}`] : []),
            ...(f.holidaysRemoved.length ? [`删除节假日 ${f.holidaysRemoved.join(' ')}`] : []),
            ...(f.workdaysAdded.length ? [`新增调休上班日 ${f.workdaysAdded.join(' ')}`] : []),
            ...(f.workdaysRemoved.length ? [`删除调休上班日 ${f.workdaysRemoved.join(' ')}`] : []),
          ]
        : [
            ...(f.holidaysAdded.length ? [`holidays added ${f.holidaysAdded.join(' ')}`] : []),
            ...(f.holidaysRemoved.length ? [`holidays removed ${f.holidaysRemoved.join(' ')}`] : []),
            ...(f.workdaysAdded.length ? [`working weekend days added ${f.workdaysAdded.join(' ')}`] : []),
            ...(f.workdaysRemoved.length ? [`working weekend days removed ${f.workdaysRemoved.join(' ')}`] : []),
          ];
      const totals = zh ? `现有节假日 ${f.holidays} 天、调休上班日 ${f.workdays} 天` : `now ${plural(f.holidays, 'holiday')} and ${plural(f.workdays, 'working weekend day')}`;
      return lines.length ? join([...lines, totals], language) : zh ? `已保存，没有改动（${totals}）` : `saved unchanged (${totals})`;
    }
    case 'calendar_import': {
      const years = f.years.map((y) =>
        zh ? `${y.year} 年节假日 ${y.holidays} 天、调休上班日 ${y.workdays} 天` : `${y.year} with ${plural(y.holidays, 'holiday')} and ${plural(y.workdays, 'working weekend day')}`,
      );
      return zh ? `从日历文件导入：${join(years, language)}` : `imported from a calendar file: ${join(years, language)}`;
    }
    case 'item_saved': {
      const lines = f.added ? [zh ? `新增“${f.name}”` : `added "${f.name}"`] : changeLines(f.changes, language);
      if (f.materialsAdded.length) lines.push(zh ? `新增材料：${list(f.materialsAdded.map((m) => material(m, language)), language)}` : `materials added: ${list(f.materialsAdded.map((m) => material(m, language)), language)}`);
      if (f.materialsRemoved.length) lines.push(zh ? `删除材料：${list(f.materialsRemoved.map((m) => material(m, language)), language)}` : `materials removed: ${list(f.materialsRemoved.map((m) => material(m, language)), language)}`);
      if (f.materialsAdded.length || f.materialsRemoved.length) lines.push(zh ? `材料数：${f.materialsBefore} → ${f.materialsAfter}` : `materials: ${f.materialsBefore} → ${f.materialsAfter}`);
      return lines.length ? join(lines, language) : unchanged(language);
    }
    case 'items_replaced':
      return zh
        ? `整个事项名单替换为 ${f.items} 项，其中 ${f.withInfo} 项有办事指南；名单外的事项已停用`
        : `the whole item list replaced with ${plural(f.items, 'item')}, ${f.withInfo} of them with service information; items not listed were made inactive`;
    case 'wall_token_created':
      return zh ? `为大屏“${f.display}”新建令牌` : `created for the display "${f.display}"`;
    case 'wall_token_revoked':
      return zh ? `吊销：大屏“${f.display}”停止显示大厅` : `revoked: the display "${f.display}" stops showing the hall`;
    case 'terminal_rotation_asked':
      return zh ? '要求轮换令牌：终端下次联系中心时换用新令牌' : 'rotation asked for: the terminal takes a new token at its next call';
    case 'terminal_revoked':
      return zh ? '吊销：终端重新登记前被拒绝' : 'revoked: the terminal is refused until it enrols again';
    case 'staff_saved': {
      const lines = f.added ? [zh ? `新增“${f.name}”` : `added "${f.name}"`] : changeLines(f.changes, language, STAFF_FIELDS);
      if (f.badgesAdded.length) lines.push(zh ? `新增工牌 ${f.badgesAdded.join(' ')}` : `badges added ${f.badgesAdded.join(' ')}`);
      if (f.badgesRemoved.length) lines.push(zh ? `删除工牌 ${f.badgesRemoved.join(' ')}` : `badges removed ${f.badgesRemoved.join(' ')}`);
      return lines.length ? join(lines, language) : unchanged(language);
    }
    case 'staff_photo':
      return f.set ? (zh ? '照片已更换' : 'photo changed') : zh ? '照片已删除' : 'photo removed';
    case 'row_saved': {
      if (f.added) return zh ? `新增“${f.name}”` : `added "${f.name}"`;
      const lines = changeLines(f.changes, language);
      return lines.length ? join(lines, language) : unchanged(language);
    }
    case 'row_removed':
      return zh ? `删除“${f.name}”` : `removed "${f.name}"`;
    case 'list_replaced':
      return zh
        ? `整个名单替换为 ${f.rows} 条：新增 ${f.added} 条，修改 ${f.changed} 条，移出 ${f.removed} 条`
        : `the whole list replaced with ${plural(f.rows, 'row')}: ${f.added} added, ${f.changed} changed, ${f.removed} removed`;
    case 'window_saved': {
      const lines = changeLines(f.changes, language);
      const what = lines.length ? join(lines, language) : unchanged(language);
      return f.added ? (zh ? `新增窗口：${what}` : `window added: ${what}`) : what;
    }
    case 'enrolment_code_made': {
      const days = f.expiresInHours % 24 === 0 ? f.expiresInHours / 24 : null;
      const span = zh ? (days ? `${days} 天` : `${f.expiresInHours} 小时`) : days ? plural(days, 'day') : plural(f.expiresInHours, 'hour');
      return zh ? `为窗口 ${f.windowNo} 生成登记码，${span}内有效` : `made for window ${f.windowNo}, valid for ${span}`;
    }
    case 'enrolment_code_revoked':
      return zh ? `作废：窗口 ${f.windowNo} 的登记码不能再用` : `revoked: the code for window ${f.windowNo} can no longer be used`;
    case 'api_token_made': {
      const roles = list(f.roles.map((r) => TOKEN_ROLES[r]?.[language] ?? r), language);
      return zh ? `新建接口令牌，权限：${roles}` : `API token made, roles: ${roles}`;
    }
    case 'api_token_revoked':
      return zh ? `吊销此名称的 ${f.tokens} 个接口令牌：使用它们的脚本从此被拒绝` : `revoked ${plural(f.tokens, 'API token')} of this name: scripts using them are refused from now on`;
    case 'terminal_replace_allowed':
      return zh
        ? `允许更换窗口 ${f.windowNo} 的终端：${f.wasRevoked ? '' : '旧令牌即刻失效，'}可凭新登记码重新登记一次`
        : `replacement allowed for the terminal of window ${f.windowNo}: ${f.wasRevoked ? '' : 'its old token stops working now, and '}it may enrol once again with a new code`;
    case 'terminal_epoch_allowed':
      return zh
        ? `允许窗口 ${f.windowNo} 的终端开始第 ${f.epoch} 轮记录（数据库恢复后，从新一轮继续上传，不丢记录）`
        : `window ${f.windowNo}'s terminal allowed to start epoch ${f.epoch} (after a restored database it uploads on in a new epoch, losing no records)`;
  }
}

/** The entry's sentence in the reader's language. */
export function auditSentence(facts: AuditFacts, language: AuditLanguage): string {
  const text = body(facts, language);
  if (facts.token === undefined) return text;
  const by = facts.token === 'admin' ? (language === 'zh' ? '使用中心管理令牌' : "with the centre's admin token") : language === 'zh' ? `使用接口令牌“${facts.token}”` : `with the API token "${facts.token}"`;
  return language === 'zh' ? `${by}：${text}` : `${by}: ${text}`;
}
