/**
 * The core's refusals in the screen's language. The core sends each refusal with a reason and
 * its figures (src/shared/refusals.ts) beside an English sentence for the log; this words the
 * reason. Where the figures carry a technical English detail (a certificate's dates, the
 * centre's own sentence), the Chinese sentence keeps it in brackets for IT.
 */
import type { KioskError } from '../../shared/contract';
import type { WindowPhase } from '../../shared/domain';
import { ANNEX_A, type StaffPhraseKey } from '../../shared/phrases';
import type { RefusalFields, RefusalReason, StorageCause } from '../../shared/refusals';
import type { SyncErrorCode } from '../../shared/sync-codes';
import { fill, type Bilingual, type Lang } from './lang';
import { SYNC_WORDS } from './status-words';

export const REFUSAL_WORDS: Record<RefusalReason, Bilingual> = {
  badge_unknown: { zh: '此工牌未登记：请联系信息科添加', en: 'this badge is not registered; ask IT to add it' },
  staff_no_unknown: { zh: '工号 {staffNo} 未登记', en: 'staff number {staffNo} is not registered' },
  pin_not_set: { zh: '{name} 尚未设置密码：请用工牌签到', en: '{name} has no PIN set; sign in with the badge' },
  pin_wrong: { zh: '密码错误', en: 'wrong PIN' },
  pin_locked: { zh: '工号 {staffNo} 密码错误次数过多：请 {minutes} 分钟后再试，或用工牌签到', en: 'too many wrong PINs for {staffNo}; try again in {minutes} min or use your badge' },
  already_signed_in: { zh: '{name} 已在本窗口签到', en: '{name} is already signed in at this window' },
  nobody_signed_in: { zh: '本窗口无人签到', en: 'nobody is signed in' },
  sign_out_case_open: { zh: '请先办结当前业务，再签退', en: 'finish the open case before signing out' },
  sign_out_while_rating: { zh: '群众正在评价：请在评价结束后签退', en: 'the citizen is still rating; sign out after the rating window ends' },
  cannot_pause: { zh: '现在不能暂停：{phase}', en: 'cannot pause: {phase}' },
  not_paused: { zh: '窗口未暂停', en: 'the window is not paused' },
  cannot_open_case: { zh: '现在不能受理新业务：{phase}', en: 'cannot open a case: {phase}' },
  no_open_case: { zh: '没有可办结的业务：{phase}', en: 'there is no open case to finish: {phase}' },
  item_unknown: { zh: '事项 {itemCode} 不在本窗口的事项清单中', en: 'service item {itemCode} is not in this window’s list' },
  referral_unknown: { zh: '转办去向 {target} 不在中心的清单中：请从清单中选择', en: 'referral target {target} is not in the centre’s list: choose one the list offers' },
  cannot_play_phrase: { zh: '现在不能播放用语：{phase}', en: 'cannot play a phrase: {phase}' },
  phrase_needs_case: { zh: '“{phrase}”要说出所办事项：请先受理业务', en: '“{phrase}” names the open case’s item: open a case first' },
  rating_not_latest: { zh: '这不是刚才的那次评价', en: 'that rating is not the one just given' },
  details_closed: { zh: '补充原因的时间已过', en: 'the time to add reasons to this rating has passed' },
  reason_unknown: { zh: '原因 {reason} 不在清单中', en: 'reason code {reason} is not in the list' },
  callback_phone_invalid: { zh: '回访电话号码无效', en: 'the callback number is not a valid phone number' },
  reply_phone_invalid: {
    zh: '回复电话不是有效的手机或固定电话号码（如 13812345678 或 010-12345678）',
    en: 'the reply number is not a mainland mobile or landline number (e.g. 13812345678 or 010-12345678)',
  },
  citizen_cannot_run_window: { zh: '群众屏不能操作窗口', en: 'the citizen screen cannot run the window' },
  staff_cannot_rate: { zh: '工作人员不能录入或更改评价', en: 'staff cannot enter or change a rating' },
  storage_failed: { zh: '本机存储出错：{cause}；未做任何更改', en: 'this PC’s storage failed: {cause}; nothing was changed' },
  admin_pin_unset: { zh: '尚未设置管理员密码：请先设置', en: 'no admin PIN is set yet: set one first' },
  admin_pin_wrong: { zh: '管理员密码错误', en: 'wrong admin PIN' },
  admin_current_pin_wrong: { zh: '当前管理员密码错误', en: 'the current admin PIN is wrong' },
  setup_code_wrong: { zh: '设置码错误：请输入 Cordial 启动时在本机显示的设置码', en: 'the setup code is wrong: type the code Cordial showed on this PC when it started' },
  admin_locked: { zh: '管理员密码错误次数过多：请 {minutes} 分钟后再试', en: 'too many wrong admin PINs; try again in {minutes} min' },
  admin_session_ended: { zh: '管理会话已结束：请重新输入管理员密码', en: 'the admin session has ended: enter the admin PIN again' },
  settings_invalid: { zh: '设置项 {field} 无效（{detail}）', en: 'the setting {field} is not valid ({detail})' },
  serial_port_missing: { zh: '串口 {path} 不存在：请插上评价器，或从列表中选择端口', en: 'serial port {path} does not exist: plug the keypad in, or choose a port from the list' },
  ca_invalid: { zh: '中心 CA 证书无法读取（{detail}）', en: 'the centre CA certificate cannot be read ({detail})' },
  ca_none_valid: {
    zh: '中心 CA 栏中没有当前有效的证书（{list}）：请向中心信息科索取现行的 CA 证书',
    en: 'no certificate in the centre CA field is valid now ({list}): ask the centre’s IT for the current CA certificate',
  },
  enrol_needs_address: { zh: '请先设置中心地址，再注册', en: 'set the centre address first, then enrol' },
  sync_off: { zh: '同步未开启：信息科尚未设置中心地址', en: 'sync is off: IT has not set the centre address' },
  no_phone_link: { zh: '本窗口未连接中心，无法提供手机填写的链接', en: 'this window has no centre to give a link for phones' },
  // Worded from the sync's own code (SYNC_WORDS); this is the fallback for a code this screen does not know.
  sync_refused: { zh: '中心未完成请求（{detail}）', en: '{detail}' },
  input_invalid: { zh: '输入项 {field} 不符合要求（{detail}）', en: '{field}: {detail}' },
  screen_not_allowed: { zh: '此屏幕不能调用 {method}', en: 'this screen cannot call {method}' },
  call_failed: { zh: '{method} 执行失败（{detail}）', en: '{method} failed: {detail}' },
  connection_lost: { zh: '与 Cordial 的连接已断开，正在重连', en: 'lost the connection to Cordial; retrying' },
};

const PHASE_WORDS: Record<WindowPhase, Bilingual> = {
  closed: { zh: '无人签到', en: 'no staff member is signed in' },
  idle: { zh: '窗口空闲', en: 'the window is idle' },
  paused: { zh: '窗口已暂停', en: 'the window is paused' },
  serving: { zh: '正在办理业务', en: 'a case is open' },
  awaiting_rating: { zh: '群众正在评价上一件业务', en: 'the citizen is rating the last case' },
  thanks: { zh: '群众刚刚完成评价', en: 'the citizen has just rated' },
};

const STORAGE_WORDS: Record<StorageCause, Bilingual> = {
  disk_full: { zh: '磁盘已满，请清理数据盘后重试', en: 'the disk is full: free some space on the data drive, then try again' },
  read_only: { zh: '数据文件夹只读，请检查权限', en: 'the data folder is read-only: check its permissions' },
  busy: { zh: '数据库正被其他程序占用', en: 'the database is busy in another program' },
  io_error: { zh: '磁盘读写出错', en: 'the disk reported an input/output error' },
  damaged: { zh: '数据库文件已损坏', en: 'the database file is damaged' },
  journal_full: { zh: '按键日志已满，等待写入数据库', en: 'the press journal is full and waits for the database' },
  closed: { zh: 'Cordial 正在关闭', en: 'Cordial is shutting down' },
  other: { zh: '未知的存储错误', en: 'an unexpected storage error' },
};

const lookup = <T>(table: Record<string, T>, key: string | number | undefined): T | undefined =>
  key === undefined ? undefined : (table as Record<string, T | undefined>)[String(key)];

/** The fields as the sentence names them: codes (a phase, a disk cause, a phrase) in words. */
function wordedFields(reason: RefusalReason, fields: RefusalFields, lang: Lang): RefusalFields {
  const out: RefusalFields = { ...fields };
  const phase = lookup(PHASE_WORDS, fields.phase);
  if (phase) out.phase = phase[lang];
  const cause = reason === 'storage_failed' ? lookup(STORAGE_WORDS, fields.cause) : undefined;
  if (cause) out.cause = cause[lang];
  const phrase = reason === 'phrase_needs_case' ? lookup<{ zh: string; en: string }>(ANNEX_A, fields.phrase as StaffPhraseKey | undefined) : undefined;
  if (phrase) out.phrase = phrase[lang].replace(/\{\w+\}/g, lang === 'zh' ? '××' : '…');
  return out;
}

/** A refusal from the core in `lang`; the core's own sentence when it sent no reason this screen knows. */
export function refusalText(error: KioskError, lang: Lang): string {
  const words = error.reason ? lookup(REFUSAL_WORDS, error.reason) : undefined;
  if (!words || !error.reason) return error.message;
  const fields = error.fields ?? {};
  if (error.reason === 'sync_refused') {
    const sync = lookup(SYNC_WORDS, fields.sync as SyncErrorCode | undefined);
    const detail = String(fields.detail ?? error.message);
    // In English the centre's own sentence is the more precise; in Chinese, the words and the sentence beneath for IT.
    if (sync) return lang === 'en' ? detail : `${fill(sync.zh, fields)}（${detail}）`;
  }
  return fill(words[lang], wordedFields(error.reason, fields, lang));
}

/** What a screen keeps of a refusal: the core's, or a sentence of its own; both worded when shown. */
export type Problem = KioskError | Bilingual | string | null;

/** A problem in `lang`, or null when there is none. */
export function problemText(problem: Problem, lang: Lang): string | null {
  if (problem === null || typeof problem === 'string') return problem;
  return 'code' in problem ? refusalText(problem, lang) : problem[lang];
}
