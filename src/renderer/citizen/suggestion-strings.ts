/** The citizen screen's words for 意见簿 (11.2.2), zh and en. */
export const SUGGESTION_TEXT = {
  open: { zh: '意见建议', en: 'Suggestions' },
  title: { zh: '意见建议', en: 'Leave a suggestion' },
  intro: { zh: '请选择意见类别，可写下具体内容。', en: 'Choose what it is about; you may write a few words too.' },
  write: { zh: '写下意见', en: 'Write it' },
  edit: { zh: '修改内容', en: 'Edit it' },
  consent: { zh: '我同意工作人员拨打此电话答复我的意见', en: 'I agree to be called back about my suggestion' },
  consentNeeded: { zh: '留下电话需勾选同意答复', en: 'Tick the consent box to leave a number' },
  phoneInvalid: { zh: '请输入11位手机号码或带区号的固定电话', en: 'Enter an 11-digit mobile number or a landline with area code' },
  chooseCategory: { zh: '请至少选择一个意见类别', en: 'Choose at least one category' },
  submit: { zh: '提交意见', en: 'Send' },
  cancel: { zh: '返回', en: 'Back' },
  sending: { zh: '正在提交…', en: 'Sending…' },
  thanks: { zh: '感谢您的宝贵意见，我们会认真研究。', en: 'Thank you. Your suggestion will be read and considered.' },
  thanksReply: { zh: '感谢您的宝贵意见，我们会尽快电话答复您。', en: 'Thank you. We will call you back about it soon.' },
  done: { zh: '完成', en: 'Done' },
  failed: { zh: '意见未能保存：', en: 'The suggestion was not saved: ' },
} as const;
