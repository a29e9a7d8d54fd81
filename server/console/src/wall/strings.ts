/** The words of the hall's wall screen, in Chinese (the default) and English; the English table is typed from the Chinese one. */
import { createContext, useContext } from 'react';
import type { WindowRuleKind } from '../../../../src/shared/console/hall-contract';
import type { Language } from '../i18n';

/** What a tile says, with its colour: one word per state, as a person reads it across the hall. */
export type TileState = 'idle' | 'serving' | 'awaiting' | 'paused' | 'closed' | 'offline';

const zh = {
  title: '大厅窗口实时监察',
  states: { idle: '空闲', serving: '办理中', awaiting: '待评价', paused: '暂停', closed: '未开', offline: '离线' } satisfies Record<TileState, string>,
  pausedFor: (reason: string) => `暂停·${reason}`,
  window: (no: string) => `${no} 号窗口`,
  noStaff: '无人签到',
  noFloor: '',
  noDepartment: '未分部门',
  lastNews: (time: string) => `最后消息 ${time}`,
  served: '办件',
  rated: '评价',
  poor: '差评',
  satisfaction: '今日满意度',
  noRatings: '暂无评价',
  todayFigures: (served: string, rated: string, poor: string) => `办件 ${served} · 评价 ${rated} · 差评 ${poor}`,
  windowsOpen: (open: number, all: number) => `开放窗口 ${open} / ${all}`,
  noAlerts: '暂无告警',
  alerts: '实时告警',
  rules: {
    not_open: '未按时开窗',
    long_pause: '暂停超时',
    keypad_offline: '评价器离线',
    long_case: '办件超时',
    terminal_silent: '终端失联',
  } satisfies Record<WindowRuleKind, string>,
  poorBurst: '短时间内多次差评',
  ended: '已恢复',
  alertAt: (windowNo: string | null, what: string) => (windowNo ? `${windowNo} 号窗口 ${what}` : what),
  down: (since: string) => `与中心的连接已中断（自 ${since} 起），下面显示的不是最新状态；正在自动重连…`,
  connecting: '正在连接中心…',
  noWindows: '窗口名单为空：请在管理台“名单”页添加窗口。',
  stopped: {
    revoked: '此大屏的令牌已被管理员吊销，大屏已停止显示。请管理员在管理台“窗口”页新建大屏地址，并在本机打开。',
    invalid: '此大屏的令牌无效或不完整。请在本机打开管理员给出的完整大屏地址（以 #token= 结尾）。',
    missing: '此大屏尚未登记。请在本机打开管理员在管理台“窗口”页新建的大屏地址（以 #token= 结尾）。',
    detail: (message: string) => `中心的说明：${message}`,
  },
  minutes: (m: number) => `${m} 分钟`,
};

const en: typeof zh = {
  title: 'Hall windows, live',
  states: { idle: 'Free', serving: 'Serving', awaiting: 'Awaiting rating', paused: 'Paused', closed: 'Not open', offline: 'Offline' },
  pausedFor: (reason: string) => `Paused · ${reason}`,
  window: (no: string) => `Window ${no}`,
  noStaff: 'Nobody signed in',
  noFloor: '',
  noDepartment: 'No department',
  lastNews: (time: string) => `Last news ${time}`,
  served: 'Served',
  rated: 'Rated',
  poor: 'Poor',
  satisfaction: 'Satisfaction today',
  noRatings: 'No ratings yet',
  todayFigures: (served: string, rated: string, poor: string) => `Served ${served} · rated ${rated} · poor ${poor}`,
  windowsOpen: (open: number, all: number) => `Windows open ${open} / ${all}`,
  noAlerts: 'No alerts',
  alerts: 'Live alerts',
  rules: {
    not_open: 'not open on time',
    long_pause: 'paused too long',
    keypad_offline: 'keypad offline',
    long_case: 'case running long',
    terminal_silent: 'terminal silent',
  },
  poorBurst: 'several poor ratings in a short time',
  ended: 'ended',
  alertAt: (windowNo: string | null, what: string) => (windowNo ? `Window ${windowNo}: ${what}` : what),
  down: (since: string) => `The link to the centre is down (since ${since}): what you see is not current; reconnecting…`,
  connecting: 'Connecting to the centre…',
  noWindows: 'The window list is empty: add windows on the Lists page of the console.',
  stopped: {
    revoked: "This display's wall token was revoked by an admin, so the wall has stopped. Ask the admin to make a new wall address on the console's Windows page and open it on this PC.",
    invalid: "This display's wall token is not valid or not complete. Open the whole wall address the admin gave (it ends in #token=) on this PC.",
    missing: "This display is not set up as a wall yet. Open the wall address the admin made on the console's Windows page (it ends in #token=) on this PC.",
    detail: (message: string) => `The centre says: ${message}`,
  },
  minutes: (m: number) => `${m} min`,
};

export type WallStrings = typeof zh;
export const WALL_STRINGS: Record<Language, WallStrings> = { zh, en };

export const WallLanguage = createContext<{ language: Language; w: WallStrings }>({ language: 'zh', w: zh });
export const useWallStrings = () => useContext(WallLanguage);
