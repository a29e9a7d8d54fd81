/** The words of the hall supervision pages (监察设置, 窗口告警), in Chinese (the default) and English; the English table is typed from the Chinese one. */
import type { WindowRuleKind } from '../../../../../src/shared/console/hall-contract';
import type { LinkState } from '../../../../../src/shared/domain';
import { useStrings } from '../../i18n';

/** An alert's figures as the centre sent them, with the keypad link already in words. */
export type Figures = Record<string, string | number | undefined> & { linkWord?: string };

const zh = {
  rules: {
    title: '监察设置',
    lead: '电子监察的五条窗口规则：每条可单独开关，阈值按分钟计。触发的告警与差评提醒一样推送到管理台和 Webhook。',
    names: {
      not_open: '未按时开窗',
      long_pause: '暂停超时',
      keypad_offline: '评价器离线',
      long_case: '办件超时',
      terminal_silent: '终端失联',
    } satisfies Record<WindowRuleKind, string>,
    explain: {
      not_open: '工作日开窗时间过后仍无人签到',
      long_pause: '窗口暂停超过其暂停时限（各窗口可在下方单独设定）',
      keypad_offline: '有人签到期间评价器未连接',
      long_case: '一件办件办理时间超过该事项的时限',
      terminal_silent: '工作日开窗时间内终端没有任何消息',
    } satisfies Record<WindowRuleKind, string>,
    on: '启用',
    graceMinutes: '开窗后宽限（分钟）',
    defaultLimitMinutes: '默认暂停时限（分钟）',
    minutes: '持续（分钟）',
    defaultMinutes: '默认时限（分钟）',
    byItem: '各事项时限',
    item: '事项',
    itemLimit: '时限（分钟，留空用默认）',
    noItems: '事项名单为空；请先在“名单”页导入事项。',
    save: '保存规则',
    saved: '监察规则已保存。',
    notWhole: (what: string, min: number, max: number) => `“${what}”须为 ${min} 到 ${max} 之间的整数分钟。`,
    itemNotWhole: (item: string, min: number, max: number) => `事项“${item}”的时限须为 ${min} 到 ${max} 之间的整数分钟，或留空使用默认时限。`,
  },
  schedule: {
    title: '窗口作息',
    lead: '每个窗口按星期设定开窗与关窗时间（工作日以中心工作日历为准；调休上班的周末按周一作息）。时间留空表示当天不开窗。',
    window: '窗口',
    choose: '选择窗口',
    noWindows: '窗口名单为空；请先在“名单”页添加窗口。',
    weekday: '星期',
    weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    opensAt: '开窗',
    closesAt: '关窗',
    closed: '不开窗',
    pauseLimit: '暂停时限（分钟，留空用默认）',
    floor: '楼层',
    save: '保存作息',
    saved: (w: string) => `窗口 ${w} 的作息已保存。`,
    badTime: (day: string, what: string) => `${day}的${what}时间应写成 08:30 这样的 24 小时制时间。`,
    halfDay: (day: string) => `${day}只填了开窗或关窗中的一个；请两个都填，或都留空表示不开窗。`,
    backwards: (day: string) => `${day}的关窗时间早于开窗时间。`,
    badPause: (min: number, max: number) => `暂停时限须为 ${min} 到 ${max} 之间的整数分钟，或留空使用默认时限。`,
    longFloor: (max: number) => `楼层最多 ${max} 个字。`,
  },
  alerts: {
    title: '窗口告警',
    onlyOpen: '只看未结束的',
    refresh: '刷新',
    rule: '规则',
    window: '窗口',
    department: '部门',
    detail: '说明',
    started: '开始',
    ended: '结束',
    ongoing: '仍在持续',
    lasted: '持续',
    empty: '没有窗口告警。',
    noneOpen: '目前没有未结束的窗口告警。',
    duration: (minutes: number) => (minutes < 60 ? `${minutes} 分钟` : `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟`),
    links: { disabled: '已停用', connecting: '连接中', online: '在线', offline: '离线', unresponsive: '无响应' } satisfies Record<LinkState, string>,
    /** The alert in words, from its figures as the centre raised it. */
    explain: {
      not_open: (f: Figures) => `${f.opensAt} 开窗，宽限 ${f.graceMinutes} 分钟后仍无人签到`,
      long_pause: (f: Figures) => `已暂停 ${f.minutes} 分钟（时限 ${f.limitMinutes} 分钟），原因：${f.reason || '未说明'}`,
      keypad_offline: (f: Figures) => `评价器${f.linkWord}已 ${f.minutes} 分钟（时限 ${f.limitMinutes} 分钟）`,
      long_case: (f: Figures) => `“${f.itemName}”已办理 ${f.minutes} 分钟（时限 ${f.limitMinutes} 分钟）`,
      terminal_silent: (f: Figures) => `终端已 ${f.minutes} 分钟没有消息（时限 ${f.limitMinutes} 分钟）`,
    } satisfies Record<WindowRuleKind, (f: Figures) => string>,
  },
};

const en: typeof zh = {
  rules: {
    title: 'Supervision settings',
    lead: 'The five window rules of live supervision: each can be switched on or off, thresholds are in minutes. Their alerts reach the console and the webhooks as poor-rating alerts do.',
    names: {
      not_open: 'Window not open',
      long_pause: 'Pause too long',
      keypad_offline: 'Keypad offline',
      long_case: 'Case too long',
      terminal_silent: 'Terminal silent',
    },
    explain: {
      not_open: 'Nobody signed in after the opening time on a working day',
      long_pause: 'A window paused beyond its pause limit (each window can set its own below)',
      keypad_offline: 'The keypad not connected while staff are signed in',
      long_case: 'A case running beyond its item’s time limit',
      terminal_silent: 'No news from the terminal during the window’s hours on a working day',
    },
    on: 'On',
    graceMinutes: 'Grace after opening (minutes)',
    defaultLimitMinutes: 'Default pause limit (minutes)',
    minutes: 'Lasting (minutes)',
    defaultMinutes: 'Default limit (minutes)',
    byItem: 'Limit per item',
    item: 'Item',
    itemLimit: 'Limit (minutes, empty for the default)',
    noItems: 'The item list is empty; import the items on the Lists page first.',
    save: 'Save the rules',
    saved: 'The supervision rules are saved.',
    notWhole: (what, min, max) => `“${what}” must be a whole number of minutes from ${min} to ${max}.`,
    itemNotWhole: (item, min, max) => `The limit of item “${item}” must be a whole number of minutes from ${min} to ${max}, or empty for the default.`,
  },
  schedule: {
    title: 'Window hours',
    lead: 'Each window’s opening and closing time per weekday (working days follow the centre’s calendar; a make-up working weekend day uses Monday’s hours). Leave both times empty for a day the window does not open.',
    window: 'Window',
    choose: 'Choose a window',
    noWindows: 'The window list is empty; add the windows on the Lists page first.',
    weekday: 'Weekday',
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    opensAt: 'Opens',
    closesAt: 'Closes',
    closed: 'Closed',
    pauseLimit: 'Pause limit (minutes, empty for the default)',
    floor: 'Floor',
    save: 'Save the hours',
    saved: (w) => `The hours of window ${w} are saved.`,
    badTime: (day, what) => `${day}: the ${what.toLowerCase()} time should be a 24-hour time like 08:30.`,
    halfDay: (day) => `${day} has only one of the opening and closing times; fill in both, or leave both empty for a closed day.`,
    backwards: (day) => `${day}: the closing time is before the opening time.`,
    badPause: (min, max) => `The pause limit must be a whole number of minutes from ${min} to ${max}, or empty for the default.`,
    longFloor: (max) => `A floor has at most ${max} characters.`,
  },
  alerts: {
    title: 'Window alerts',
    onlyOpen: 'Only those still going on',
    refresh: 'Refresh',
    rule: 'Rule',
    window: 'Window',
    department: 'Department',
    detail: 'Detail',
    started: 'Started',
    ended: 'Ended',
    ongoing: 'Still going on',
    lasted: 'Lasted',
    empty: 'No window alerts.',
    noneOpen: 'No window alert is going on now.',
    duration: (minutes) => (minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`),
    links: { disabled: 'switched off', connecting: 'connecting', online: 'online', offline: 'offline', unresponsive: 'not answering' },
    explain: {
      not_open: (f) => `Opens at ${f.opensAt}; nobody signed in ${f.graceMinutes} minutes later`,
      long_pause: (f) => `Paused for ${f.minutes} min (limit ${f.limitMinutes} min), reason: ${f.reason || 'none given'}`,
      keypad_offline: (f) => `Keypad ${f.linkWord} for ${f.minutes} min (limit ${f.limitMinutes} min)`,
      long_case: (f) => `“${f.itemName}” running for ${f.minutes} min (limit ${f.limitMinutes} min)`,
      terminal_silent: (f) => `No news from the terminal for ${f.minutes} min (limit ${f.limitMinutes} min)`,
    },
  },
};

const STRINGS = { zh, en };
export type HallStrings = typeof zh;

/** These pages' words in the console's language, with the frame's own strings beside them. */
export function useHallStrings() {
  const frame = useStrings();
  return { ...frame, hall: STRINGS[frame.language] };
}
