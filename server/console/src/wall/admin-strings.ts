/** The words of the console's parts about the hall: each window's live state on the Windows page, and the admin's wall tokens. */
import { useStrings } from '../i18n';
import { WALL_STRINGS } from './strings';

const zh = {
  live: {
    title: '窗口实时状态',
    lead: '各窗口终端每 15 秒及每次状态变化时上报；超过 45 秒没有消息的窗口标为“离线”。',
    window: '窗口',
    department: '部门',
    state: '状态',
    staff: '签到人员',
    item: '当前事项',
    today: '今日 办件/评价/差评',
    keypad: '评价器',
    received: '最后消息',
    stale: '离线（数据过时）',
    none: '还没有窗口。',
    never: '从未上报',
    keypads: { disabled: '未启用', connecting: '连接中', online: '在线', offline: '离线', unresponsive: '无响应' } as Record<string, string>,
  },
  wall: {
    title: '大厅大屏',
    lead: '大屏用只读令牌显示大厅实时状态，不需要用户账户。新建后把地址在大屏电脑的浏览器中打开一次即可；地址只显示这一次。',
    name: '大屏名称',
    namePlaceholder: '例如 一楼大厅',
    create: '新建大屏地址',
    shownOnce: '请在大屏电脑上打开下面的地址（只显示这一次，其中包含令牌）：',
    created: '创建',
    lastUsed: '最后使用',
    state: '状态',
    active: '有效',
    revoked: '已吊销',
    revoke: '吊销',
    never: '从未',
    none: '还没有大屏令牌。',
    confirmRevoke: (name: string) => `吊销大屏“${name}”的令牌？该大屏会立即停止显示。`,
    didRevoke: (name: string) => `大屏“${name}”的令牌已吊销。`,
  },
};

const en: typeof zh = {
  live: {
    title: 'Windows live',
    lead: "Each window's terminal reports every 15 seconds and on every change; a window silent for 45 seconds is shown offline.",
    window: 'Window',
    department: 'Department',
    state: 'State',
    staff: 'Signed in',
    item: 'Current item',
    today: 'Today served/rated/poor',
    keypad: 'Keypad',
    received: 'Last news',
    stale: 'Offline (data out of date)',
    none: 'No windows yet.',
    never: 'Never reported',
    keypads: { disabled: 'Off', connecting: 'Connecting', online: 'Online', offline: 'Offline', unresponsive: 'Not answering' },
  },
  wall: {
    title: 'Hall wall screens',
    lead: "A wall screen shows the hall live with a read-only token, without a user account. Make one, then open its address once in the display PC's browser; the address is shown only this once.",
    name: 'Display name',
    namePlaceholder: 'e.g. Ground floor hall',
    create: 'Make a wall address',
    shownOnce: 'Open this address on the display PC (shown only this once; it holds the token):',
    created: 'Made',
    lastUsed: 'Last used',
    state: 'State',
    active: 'Active',
    revoked: 'Revoked',
    revoke: 'Revoke',
    never: 'Never',
    none: 'No wall tokens yet.',
    confirmRevoke: (name: string) => `Revoke the token of wall "${name}"? That display stops at once.`,
    didRevoke: (name: string) => `The token of wall "${name}" is revoked.`,
  },
};

const TABLES = { zh, en };

export function useHallAdminStrings() {
  const strings = useStrings();
  return { ...strings, h: TABLES[strings.language], w: WALL_STRINGS[strings.language] };
}
