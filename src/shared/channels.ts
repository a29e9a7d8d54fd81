/**
 * Rating channels: how a rating reached Cordial. Internal names only; the numeric
 * `pf` codes of provincial interfaces differ by province and are configuration
 * (see ChannelCodeMap), never code.
 */
export const RATING_CHANNELS = ['keypad', 'legacy_keypad', 'touch'] as const;
export type RatingChannel = (typeof RATING_CHANNELS)[number];

export type ChannelCodeMap = Record<RatingChannel, number>;

/** 4 = 政务大厅平板电脑 (a touch screen), 5 = 政务大厅其他终端 (a keypad). */
export const DEFAULT_CHANNEL_CODES: ChannelCodeMap = { keypad: 5, legacy_keypad: 5, touch: 4 };

export function channelCode(channel: RatingChannel, map: ChannelCodeMap = DEFAULT_CHANNEL_CODES): number {
  return map[channel];
}
