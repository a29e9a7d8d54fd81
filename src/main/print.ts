/**
 * The staff window's print channel: it lists the printers and prints the 一次告知 slip the
 * page is showing, silently. The sender is checked as for the kiosk API and must be the staff
 * panel; the printer and the paper come from the kiosk settings, never from the page. A
 * missing or failing printer is a reply with a code, never a thrown error: the case the slip
 * belongs to is already recorded.
 */
import type { IpcMainInvokeEvent, WebContents, WebContentsPrintOptions } from 'electron';
import { PrintRequest, RECEIPT_MIN_MM, type PrintProblem, type PrintReply, type PrinterInfo, type SlipLayout, type SlipSettings } from '../shared/slip';
import { senderRole, type Screens } from './ipc';

export { PRINT_CHANNEL } from '../shared/slip';

type Printing = Pick<WebContents, 'getPrintersAsync' | 'print'>;

const refuse = (code: PrintProblem, message: string): { ok: false; error: { code: PrintProblem; message: string } } => ({ ok: false, error: { code, message } });

export function makePrintHandler(screens: () => Screens, settings: () => SlipSettings) {
  return async (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, payload: unknown): Promise<PrintReply<PrinterInfo[] | { printer: string | null }>> => {
    const role = senderRole(event, screens());
    if (role !== 'staff') return refuse('refused', role === 'citizen' ? 'only the staff panel prints' : role);
    const request = PrintRequest.safeParse(payload);
    if (!request.success) return refuse('refused', 'malformed print request');
    const contents = event.sender as Printing;
    if (request.data.action === 'printers') return { ok: true, result: await listPrinters(contents) };
    return printSlip(contents, settings(), request.data.heightMm);
  };
}

export async function listPrinters(contents: Printing): Promise<PrinterInfo[]> {
  const found = await contents.getPrintersAsync();
  return found.map((p) => ({ name: p.name, displayName: p.displayName || p.name, description: p.description ?? '' }));
}

/** The paper: an A5 sheet, or 80 mm of receipt roll as long as the slip (Electron takes microns). */
export function pageSizeFor(layout: SlipLayout, heightMm: number | undefined): WebContentsPrintOptions['pageSize'] {
  if (layout === 'a5') return 'A5';
  return { width: 80_000, height: Math.round((heightMm ?? RECEIPT_MIN_MM * 2) * 1000) };
}

export async function printSlip(contents: Printing, settings: SlipSettings, heightMm: number | undefined): Promise<PrintReply<{ printer: string | null }>> {
  if (!settings.print) return refuse('print_off', 'printing the 一次告知 slip is switched off in the admin page');
  let printers: PrinterInfo[];
  try {
    printers = await listPrinters(contents);
  } catch (err) {
    return refuse('printer_missing', `the printers of this PC could not be listed: ${(err as Error).message}`);
  }
  if (printers.length === 0) return refuse('printer_missing', 'no printer is set up on this PC');
  if (settings.printer !== null && !printers.some((p) => p.name === settings.printer)) {
    return refuse('printer_missing', `the printer "${settings.printer}" chosen in the admin page is not on this PC`);
  }
  const options: WebContentsPrintOptions = {
    silent: true,
    printBackground: false,
    margins: { marginType: 'none' },
    pageSize: pageSizeFor(settings.layout, heightMm),
    // No device name: the system's default printer.
    ...(settings.printer !== null ? { deviceName: settings.printer } : {}),
  };
  const which = settings.printer ?? 'the default printer';
  return new Promise((resolve) => {
    try {
      contents.print(options, (success, failureReason) =>
        resolve(success ? { ok: true, result: { printer: settings.printer } } : refuse('print_failed', `${which} did not print the slip: ${failureReason || 'no reason given'}`)),
      );
    } catch (err) {
      resolve(refuse('print_failed', `${which} did not print the slip: ${(err as Error).message}`));
    }
  });
}
