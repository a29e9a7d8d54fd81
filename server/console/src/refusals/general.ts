/** Refusals any console route can give. */
import type { GeneralRefusal } from '../../../../src/shared/console/refusals/general';
import type { Words } from './words';

export const GENERAL_WORDS: Record<GeneralRefusal, Words> = {
  'general.input_invalid': { zh: '输入有误：{field}（{detail}）。', en: 'Please check the input: {field}: {detail}.' },
  'general.body_not_json': { zh: '请求的内容不是有效的 JSON，未做任何更改。请刷新页面后重试。', en: 'The request was not valid JSON; nothing was changed. Reload the page and try again.' },
  'general.body_too_large': { zh: '提交的内容超出中心允许的大小，未做任何更改。请减少内容后重试。', en: 'What was sent is larger than the centre takes; nothing was changed. Send less and try again.' },
};
