/**
 * The keypad's and the sync's status lines in the staff panel's language. The core sends each
 * line as a code with its figures (and an English sentence for the log); this says it in
 * Chinese or English. A line without a known code falls back to the core's sentence.
 */
import type { KeypadStatusCode } from '../../shared/keypad';
import type { SyncErrorCode, SyncProgressCode } from '../../shared/sync-codes';
import { fill, type Lang } from './lang';

type Words = { zh: string; en: string };

export const KEYPAD_WORDS: Record<KeypadStatusCode, Words> = {
  not_configured: { zh: '本窗口未配置评价器', en: 'no rating keypad is configured for this window' },
  settings_invalid: { zh: '评价器设置无效（{reason}）', en: 'the keypad settings are not valid ({reason})' },
  waiting: { zh: '正在等待 {port} 上的评价器应答', en: 'waiting for the rating keypad on {port} to answer' },
  no_answer: {
    zh: '{port} 上没有 CRK/1 评价器在 {baud} 波特率下应答（已等 {seconds} 秒）：请检查连线和波特率；单字节评价器请将驱动设为 legacy',
    en: 'no CRK/1 keypad answered on {port} at {baud} baud for {seconds} s: check the cable and the baud rate, or set the keypad driver to legacy for a single-byte keypad',
  },
  bad_hello: { zh: '{port} 上的设备应答格式有误（{reason}），可能不是 CRK/1 评价器', en: 'the device on {port} answered with a malformed HELLO ({reason}): it may not be a CRK/1 keypad' },
  connected: { zh: '{model} {serial} 已连接于 {port}（{keys} 键）', en: '{model} {serial} is connected on {port} ({keys} keys)' },
  legacy_open: {
    zh: '单字节评价器，{port}（{baud} 波特率）：端口已打开；此类评价器无法确认自己在位',
    en: 'single-byte keypad on {port} ({baud} baud): the port is open; this kind of keypad cannot confirm it is there',
  },
  silent: { zh: '{port} 上的评价器已 {seconds} 秒没有任何数据：请检查连线；Cordial 会持续重连', en: 'the keypad on {port} has sent nothing for {seconds} s: check that its cable is plugged in; Cordial keeps reconnecting' },
  port_down: { zh: '评价器串口不可用（{reason}）；Cordial 会持续重连', en: '{reason}; Cordial keeps trying to reconnect' },
  unresponsive: {
    zh: '评价器不确认指令（{command} 已发送 {sends} 次）：其指示灯和显示可能未更新；评价照常记录；如持续出现请重启评价器',
    en: 'the keypad does not acknowledge commands ({command} sent {sends} times): its lights and display may be out of date; presses are still recorded; restart the keypad if this persists',
  },
};

export const SYNC_WORDS: Record<SyncErrorCode | SyncProgressCode, Words> = {
  not_configured: { zh: '本窗口未设置中心地址', en: 'no centre address is set for this window' },
  not_enrolled: { zh: '本窗口尚未在中心注册：请在系统设置中注册', en: 'this window is not enrolled with the centre: enrol it in the settings' },
  enrolment_refused: { zh: '中心拒绝了注册', en: 'the centre refused the enrolment' },
  token_refused: { zh: '中心不再接受本窗口的令牌：请在系统设置中重新注册', en: 'the centre no longer accepts this window’s token: enrol it again in the settings' },
  centre_unreachable: { zh: '无法连接中心；记录保留在本机，下次同步时发送', en: 'the centre cannot be reached; the records stay on this window and go with the next sync' },
  centre_refused: { zh: '中心拒绝了本次同步', en: 'the centre refused this sync' },
  record_refused: { zh: '中心拒绝了一条记录，同步在此暂停：请联系信息科', en: 'the centre refused a record and sync stops there: call IT' },
  address_changed: { zh: '中心地址与注册时不同：请重新注册', en: 'the centre address is not the one this window enrolled with: enrol again' },
  clock_wrong: { zh: '本机时钟与中心相差过大：请校准时间', en: 'this PC’s clock is too far from the centre’s: set the time' },
  plaintext_refused: { zh: '中心地址为明文 http://，本网络不允许：请改用 https://，或由管理员允许明文', en: 'the centre address is plain http://, which this network does not allow: use https:// or have IT allow plaintext' },
  centre_untrusted: { zh: '中心证书未通过检查，未发送任何数据', en: 'the centre’s certificate failed the checks; nothing was sent' },
  stopped: { zh: '同步已停止', en: 'the sync stopped' },
  storage_failed: { zh: '本机存储出错，同步已停止', en: 'this PC’s storage failed; the sync stopped' },
  sending: { zh: '正在向中心发送记录', en: 'sending records to the centre' },
  sent: { zh: '已发送 {sent} 条记录，中心已全部收到', en: 'sent {sent} records; the centre holds them all' },
  sent_config_failed: { zh: '已发送 {sent} 条记录，中心已全部收到（未能取得中心配置：{reason}）', en: 'sent {sent} records; the centre holds them all ({reason})' },
  poor_rating_waits: {
    zh: '暂时无法将差评立即发送到中心（{reason}）；差评保留在本机，随下次同步发送',
    en: 'could not reach the centre to send a poor rating at once ({reason}); it is kept on this window and goes with the next sync',
  },
};

interface Line {
  code?: string | null;
  fields?: Record<string, string | number>;
  detail: string | null;
}

function say<C extends string>(table: Record<C, Words>, line: Line, lang: Lang): string | null {
  const words = line.code ? (table as Record<string, Words | undefined>)[line.code] : undefined;
  if (!words) return line.detail;
  return fill(words[lang], line.fields ?? {});
}

/** The keypad's status line in `lang`; the core's own sentence when it sent no known code. */
export const keypadLine = (line: Line, lang: Lang): string | null => say(KEYPAD_WORDS, line, lang);

/** The sync's status line in `lang`; the core's own sentence when it sent no known code. */
export const syncLine = (line: Line, lang: Lang): string | null => say(SYNC_WORDS, line, lang);

/** Whether the sync line is a refusal whose English sentence names what IT must fix (a certificate, a record). */
export const isSyncError = (code: string | null | undefined): boolean => code != null && code in SYNC_WORDS && !['sending', 'sent', 'sent_config_failed', 'poor_rating_waits'].includes(code);
