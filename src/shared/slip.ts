/**
 * 一次告知 (standard 10.2): the notice slip a citizen takes away when materials are missing.
 * Its settings (print or not, the printer, the layout, the centre's name on it) are kiosk
 * settings; the slip itself is drawn by the staff panel from the case it has just finished.
 * In Electron the staff window prints it silently through a print channel of its own (the
 * main process picks the printer and the paper from the settings, never the page); in the
 * browser shell the browser's print dialog does.
 */
import { z } from 'zod';
import type { MaterialForm } from './service-info';

/** An 80 mm receipt roll, or an A5 sheet. */
export const SLIP_LAYOUTS = ['receipt_80mm', 'a5'] as const;
export type SlipLayout = (typeof SLIP_LAYOUTS)[number];

export const SlipSettings = z
  .object({
    /** Print a slip when a case ends with 一次告知. */
    print: z.boolean().default(true),
    /** The printer's system name (Electron); null: the system's default printer. */
    printer: z.string().trim().min(1).max(200).nullable().default(null),
    layout: z.enum(SLIP_LAYOUTS).default('a5'),
    /** The centre's name at the head of the slip, e.g. 合肥市蜀山区政务服务中心; null: none. */
    centreName: z.string().trim().min(1).max(60).nullable().default(null),
  });
export type SlipSettings = z.infer<typeof SlipSettings>;

/** One missing material as the slip lists it. */
export interface SlipMaterial {
  name: string;
  /** null for a line staff typed themselves. */
  form: MaterialForm | null;
  count: number | null;
  notes: string | null;
}

/** Everything the slip says, captured when the case was finished. */
export interface NoticeSlip {
  centreName: string | null;
  windowNo: string;
  departmentName: string | null;
  staffName: string | null;
  staffNo: string | null;
  itemName: string;
  materials: SlipMaterial[];
  whereToAsk: string | null;
  /** When the case was finished (ms). */
  at: number;
  /** 办件编号, or the case id when the case has none. */
  caseNumber: string;
}

/** The channel of the staff window's print calls (Electron). */
export const PRINT_CHANNEL = 'cordial:print';

/** Receipt slips are as long as their content: the page says how long, within these bounds. */
export const RECEIPT_MIN_MM = 60;
export const RECEIPT_MAX_MM = 1000;

export const PrintRequest = z.discriminatedUnion('action', [
  z.object({ action: z.literal('printers') }).strict(),
  z
    .object({
      action: z.literal('printSlip'),
      /** The receipt's length as drawn; A5 ignores it. */
      heightMm: z.number().min(RECEIPT_MIN_MM).max(RECEIPT_MAX_MM).optional(),
    })
    .strict(),
]);
export type PrintRequest = z.infer<typeof PrintRequest>;

export interface PrinterInfo {
  /** The system's name, which the settings keep. */
  name: string;
  /** The name people know it by. */
  displayName: string;
  description: string;
}

/**
 * Why a slip did not print. `printer_missing`: the chosen printer (or any printer) is not on
 * this PC; `print_failed`: the printer refused or failed; `print_off`: IT switched printing off;
 * `refused`: the request did not come from the staff panel or was malformed.
 */
export const PRINT_PROBLEMS = ['printer_missing', 'print_failed', 'print_off', 'refused'] as const;
export type PrintProblem = (typeof PRINT_PROBLEMS)[number];

export type PrintReply<T> = { ok: true; result: T } | { ok: false; error: { code: PrintProblem; message: string } };

/** What the preload exposes as `window.cordialPrinting` in Electron; absent in the browser shell. */
export interface PrintingBridge {
  printers(): Promise<PrintReply<PrinterInfo[]>>;
  printSlip(request?: { heightMm?: number }): Promise<PrintReply<{ printer: string | null }>>;
}

/** The line recorded on the case for a ticked material: its name, and which and how many were missing. */
export function materialRecord(m: { name: string; form: MaterialForm; count: number }): string {
  return `${m.name}（${m.form === 'original' ? '原件' : '复印件'}${m.count}份）`;
}
