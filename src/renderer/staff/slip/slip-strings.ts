/** The words of the 一次告知 tick list, the notice slip, its printing, and the slip's admin section, in both languages. */
import type { Bilingual } from '../../common/lang';

export const SLIP_TEXT = {
  // The tick list on the finish form.
  tickTitle: { zh: '一次告知：勾选缺少的材料', en: 'Missing materials: tick each one' },
  ownLine: { zh: '其他缺少的材料（可选，一行）', en: 'Anything else missing (optional, one line)' },
  freeText: { zh: '一次告知：缺少的材料（每行一项）', en: 'Missing materials (one per line)' },
  noList: { zh: '该事项没有材料清单，请逐行填写缺少的材料。', en: 'This item has no list of materials: type each missing one on a line.' },
  needOne: { zh: '一次告知须至少勾选或填写一项缺少的材料', en: 'Tick or type at least one missing material for 一次告知' },
  ticked: { zh: '已勾选 {n} 项', en: '{n} ticked' },
  original: { zh: '原件', en: 'Original' },
  copy: { zh: '复印件', en: 'Copy' },
  count: { zh: '{n} 份', en: '× {n}' },

  // The slip.
  slipTitle: { zh: '一次性告知单', en: 'Notice of Missing Materials' },
  window: { zh: '窗口', en: 'Window' },
  windowNo: { zh: '{n} 号窗口', en: 'No. {n}' },
  staff: { zh: '经办人', en: 'Served by' },
  staffNo: { zh: '工号', en: 'Staff no.' },
  item: { zh: '办理事项', en: 'Service' },
  caseNumber: { zh: '办件编号', en: 'Case number' },
  intro: {
    zh: '您申请办理的上述事项，经审查尚缺以下材料，请补齐后再来办理：',
    en: 'To complete the service above, please bring the following materials, which are still missing:',
  },
  whereToAsk: { zh: '咨询', en: 'Questions' },
  issuedAt: { zh: '告知时间', en: 'Issued' },
  closing: {
    zh: '本告知单一次性告知所缺材料。补齐材料后请携带本单到窗口办理。',
    en: 'This notice lists every missing material at once. Please bring it with the materials when you come back.',
  },
  typed: { zh: '（窗口补充）', en: '(added at the window)' },

  // Printing, as staff see it.
  printed: { zh: '一次性告知单已送打印。', en: 'The notice slip was sent to the printer.' },
  dialogOpened: { zh: '已打开打印对话框，请在对话框中打印一次性告知单。', en: 'The print dialog was opened: print the notice slip from it.' },
  printerMissing: {
    zh: '找不到打印机，一次性告知单没有打印；本次办件已记录。请检查打印机是否连接，或在「系统设置」中选择打印机，然后点「重新打印」。',
    en: 'No printer was found, so the notice slip was not printed; the case is recorded. Check that the printer is connected, or choose a printer in Settings, then press Print again.',
  },
  printFailed: {
    zh: '打印机没能打印一次性告知单；本次办件已记录。请检查打印机的纸张和电源，然后点「重新打印」。',
    en: 'The printer could not print the notice slip; the case is recorded. Check the printer\'s paper and power, then press Print again.',
  },
  printOff: {
    zh: '一次性告知单打印已在「系统设置」中关闭；本次办件已记录。',
    en: 'Printing the notice slip is switched off in Settings; the case is recorded.',
  },
  reprint: { zh: '重新打印', en: 'Print again' },
  dismiss: { zh: '关闭', en: 'Close' },
  statusRegion: { zh: '告知单打印', en: 'Notice slip printing' },

  // The admin section.
  adminTitle: { zh: '一次性告知单打印', en: 'Notice slip printing' },
  adminPrint: { zh: '一次告知时打印告知单', en: 'Print a notice slip for 一次告知' },
  adminPrinter: { zh: '打印机', en: 'Printer' },
  adminDefaultPrinter: { zh: '系统默认打印机', en: 'The system\'s default printer' },
  adminNotFound: { zh: '（未连接）', en: '(not connected)' },
  adminNoPrinters: { zh: '本机没有安装打印机。', en: 'No printer is set up on this PC.' },
  adminBrowser: {
    zh: '浏览器版使用浏览器的打印对话框：打印时在对话框中选择打印机和纸张。',
    en: 'In the browser, Cordial uses the browser\'s print dialog: choose the printer and paper there when printing.',
  },
  adminListFailed: { zh: '无法读取本机的打印机列表。', en: 'The printers of this PC could not be listed.' },
  adminLayout: { zh: '纸张', en: 'Paper' },
  layout_receipt_80mm: { zh: '80 毫米小票', en: '80 mm receipt' },
  layout_a5: { zh: 'A5 纸', en: 'A5 sheet' },
  adminCentreName: { zh: '告知单抬头（中心名称）', en: 'Heading on the slip (the centre\'s name)' },
  adminCentreNameHint: { zh: '例如：合肥市蜀山区政务服务中心。最多 60 个字。', en: 'For example 合肥市蜀山区政务服务中心. At most 60 characters.' },
  adminCentreNameLong: { zh: '告知单抬头最多 60 个字。', en: 'The heading on the slip is at most 60 characters.' },
} satisfies Record<string, Bilingual>;
