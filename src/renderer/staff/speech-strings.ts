/** The words of the spoken phrases: the staff panel's speech line and the admin page's section. */
import type { Bilingual } from '../common/lang';

export const SPEECH_TEXT = {
  title: { zh: '语音播报', en: 'Spoken phrases' },
  who: { zh: '播报方式', en: 'Who speaks' },
  heading: { zh: '服务用语播报', en: 'Speaking the standard phrases' },
  byKeypad: { zh: '评价器播报', en: 'The keypad speaks' },
  byVoice: { zh: '本机语音播报', en: 'This PC speaks (system voice)' },
  byClips: { zh: '本机录音播报', en: 'This PC speaks (recorded clips)' },
  muted: { zh: '已静音', en: 'Muted' },
  keypadNote: {
    zh: '评价器带语音模块，由评价器说出服务用语。',
    en: 'The keypad has a voice module and says the standard phrases itself.',
  },
  voiceNote: {
    zh: '评价器无语音或未连接，由本机用系统中文语音（{voice}）说出服务用语。',
    en: 'The keypad has no voice or is not connected: this PC says the standard phrases with the system Chinese voice ({voice}).',
  },
  clipsNote: {
    zh: '评价器无语音或未连接，本机没有中文语音，播放内置录音。',
    en: 'The keypad has no voice or is not connected, and this PC has no Chinese voice: it plays the built-in recordings.',
  },
  mutedNote: {
    zh: '评价器无语音或未连接，本机播报已在系统设置中关闭：服务用语只显示在屏幕上。',
    en: 'The keypad has no voice or is not connected, and speaking is switched off in the settings: the phrases only show on screen.',
  },
  volume: { zh: '音量', en: 'Volume' },
  volumeHint: {
    zh: '评价器没有语音模块或没有评价器时，群众屏在问候、请评价、致谢等时刻由本机说出服务用语。音量 0 至 100。',
    en: 'When the keypad has no voice module, or there is no keypad, the citizen screen says the standard phrases (greeting, please rate, thanks, …) itself. Volume 0 to 100.',
  },
  mute: { zh: '静音（不播报）', en: 'Mute (say nothing)' },
  tryIt: { zh: '试听', en: 'Try it' },
  tryHint: { zh: '在本机以所设音量说一遍问候语。', en: 'Says the greeting once on this PC at this volume.' },
} as const satisfies Record<string, Bilingual>;
