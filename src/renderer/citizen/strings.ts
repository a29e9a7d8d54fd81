/** Every sentence on the citizen screen, in both languages. */
import type { Bilingual } from '../common/lang';

export const CITIZEN_TEXT = {
  window: { zh: '窗口', en: 'Window' },
  staffNo: { zh: '工号', en: 'Staff No.' },
  department: { zh: '部门', en: 'Department' },
  monthSatisfaction: { zh: '本月满意度', en: 'Satisfaction this month' },
  photoOf: { zh: '工作人员照片', en: 'Photo of the staff member' },
  idle: { zh: '空闲', en: 'Available' },
  serving: { zh: '服务中', en: 'Serving' },
  paused: { zh: '暂停服务', en: 'Service paused' },
  closed: { zh: '暂停办理', en: 'Window closed' },
  closedHint: { zh: '本窗口暂无工作人员，请到其他窗口办理。', en: 'No staff member at this window. Please go to another window.' },
  pauseReason: { zh: '原因', en: 'Reason' },
  rateTitle: { zh: '请对本次服务进行评价', en: 'Please rate this service' },
  secondsLeft: { zh: '剩余 {n} 秒', en: '{n} s left' },
  keyHint: { zh: '号键', en: 'Key' },
  touchHint: { zh: '按评价器上的按键，或直接点击屏幕', en: 'Press a key on the keypad, or touch the screen' },
  reasonsTitle: { zh: '请告诉我们哪里做得不好（可多选）', en: 'Please tell us what went wrong (choose any)' },
  phoneLabel: { zh: '回访电话（选填）', en: 'Phone for a call back (optional)' },
  phoneClear: { zh: '重新输入', en: 'Re-enter' },
  phoneDelete: { zh: '删除', en: 'Delete' },
  phoneInvalid: { zh: '请输入11位手机号码或带区号的固定电话', en: 'Enter an 11-digit mobile number or a landline with area code' },
  consent: { zh: '我同意工作人员拨打此电话回访本次评价', en: 'I agree to be called back about this rating' },
  consentNeeded: { zh: '留下电话需勾选同意回访', en: 'Tick the consent box to leave a number' },
  commentWrite: { zh: '写下意见', en: 'Write a comment' },
  commentEdit: { zh: '修改意见', en: 'Edit the comment' },
  commentPlaceholder: { zh: '请用下方键盘输入，拼音可选字', en: 'Type with the keyboard below' },
  commentCount: { zh: '{n} / {max} 字', en: '{n} / {max} characters' },
  commentTooLong: { zh: '意见最多 {max} 字，多出的字没有加上。', en: 'A comment holds at most {max} characters; the extra ones were not added.' },
  commentModeZh: { zh: '中文拼音输入', en: 'Chinese (pinyin)' },
  commentModeEn: { zh: '英文输入', en: 'English letters' },
  autoSend: { zh: '时间快到了，{n} 秒后将自动提交您已填写的内容', en: 'Time is nearly up: what you entered will be sent in {n} s' },
  keyBackspace: { zh: '删除', en: 'Delete' },
  keySpace: { zh: '空格', en: 'Space' },
  keyDone: { zh: '完成', en: 'Done' },
  submit: { zh: '提交', en: 'Submit' },
  skip: { zh: '不用了', en: 'No, thanks' },
  thanks: { zh: '感谢您的评价！', en: 'Thank you for your rating!' },
  detailsSent: { zh: '您的意见已提交，我们会认真改进。', en: 'Your feedback has been sent. We will improve.' },
  languageSwitch: { zh: 'English', en: '中文' },
  languageSwitchLabel: { zh: 'Switch to English', en: '切换到中文' },
  waitingService: { zh: '欢迎您', en: 'Welcome' },
} satisfies Record<string, Bilingual>;

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}
