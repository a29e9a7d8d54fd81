/**
 * Prints the 一次告知 slip after the case is recorded, and tells staff how it went. The slip
 * and the line about it live in a root of their own at the start of the page, so they outlast
 * the finish form (which goes as soon as the case closes). Printing shows the slip alone
 * (slip.css): in Electron the main process prints the page silently to the printer the
 * settings name; in the browser the browser's print dialog opens. A printer that is missing
 * or fails gives staff a sentence and a button to print again; the case stays recorded.
 */
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { CordialApi } from '../../../shared/api';
import { RECEIPT_MAX_MM, RECEIPT_MIN_MM, type NoticeSlip, type PrintingBridge, type PrintProblem, type SlipLayout } from '../../../shared/slip';
import type { Lang } from '../../common/lang';
import { NoticeSlipView } from './NoticeSlipView';
import { SLIP_TEXT as T } from './slip-strings';
import './slip.css';

declare global {
  interface Window {
    /** Electron's preload puts the staff panel's slip printer here; the browser shell has none. */
    cordialPrinting?: PrintingBridge;
  }
}

type Status = 'printed' | 'dialogOpened' | 'printerMissing' | 'printFailed' | 'printOff';

interface Desk {
  slip: NoticeSlip;
  layout: SlipLayout;
  lang: Lang;
  /** The @page rule for this slip: A5, or 80 mm wide and as long as the slip. */
  page: string;
  status: Status | null;
  printing: boolean;
}

const CONTAINER_ID = 'cordial-slip';
let root: Root | null = null;
let desk: Desk | null = null;

function mount(): Root {
  if (root && document.getElementById(CONTAINER_ID)) return root;
  const el = document.createElement('div');
  el.id = CONTAINER_ID;
  // First on the page: a printer problem is read before the panel, in the flow, hiding nothing.
  document.body.insertBefore(el, document.body.firstChild);
  root = createRoot(el);
  // The line about the print speaks the panel's language, which staff may switch at any time.
  new MutationObserver(() => update({ lang: document.documentElement.lang.startsWith('zh') ? 'zh' : 'en' })).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['lang'],
  });
  return root;
}

function draw(): void {
  const r = mount();
  const current = desk;
  flushSync(() => r.render(current ? <SlipDesk desk={current} /> : null));
}

function update(change: Partial<Desk>): void {
  if (!desk || Object.entries(change).every(([k, v]) => desk?.[k as keyof Desk] === v)) return;
  desk = { ...desk, ...change };
  draw();
}

const PROBLEM_STATUS: Record<PrintProblem, Status> = {
  printer_missing: 'printerMissing',
  print_failed: 'printFailed',
  print_off: 'printOff',
  refused: 'printFailed',
};

/**
 * Called once the core has recorded the finished case: draws the slip with the settings'
 * paper and heading and prints it, unless IT switched printing off.
 */
export async function printNoticeSlip(api: CordialApi, slip: NoticeSlip, lang: Lang): Promise<void> {
  const read = await api.slipSettings();
  // Settings that cannot be read leave the defaults: a slip on A5, printed.
  const settings = read.ok ? read.result : { print: true, layout: 'a5' as const, centreName: null };
  if (!settings.print) return;
  desk = { slip: { ...slip, centreName: settings.centreName }, layout: settings.layout, lang, page: pageRule(settings.layout, RECEIPT_MIN_MM), status: null, printing: true };
  await printDrawn();
}

async function printDrawn(): Promise<void> {
  if (!desk) return;
  desk = { ...desk, printing: true, status: null };
  draw();
  const heightMm = slipHeightMm();
  update({ page: pageRule(desk.layout, heightMm) });
  const bridge = window.cordialPrinting;
  let status: Status;
  if (bridge) {
    try {
      const reply = await bridge.printSlip(desk.layout === 'receipt_80mm' ? { heightMm } : {});
      status = reply.ok ? 'printed' : PROBLEM_STATUS[reply.error.code];
    } catch {
      status = 'printFailed';
    }
  } else {
    try {
      window.print();
      status = 'dialogOpened';
    } catch {
      status = 'printFailed';
    }
  }
  update({ status, printing: false });
}

/** The drawn slip's length in millimetres (CSS px are 1/96 in), within what a receipt may be. */
function slipHeightMm(): number {
  const sheet = document.querySelector<HTMLElement>(`#${CONTAINER_ID} .notice-slip`);
  const px = sheet?.getBoundingClientRect().height ?? 0;
  return Math.min(RECEIPT_MAX_MM, Math.max(RECEIPT_MIN_MM, Math.ceil((px * 25.4) / 96) + 4));
}

function pageRule(layout: SlipLayout, heightMm: number): string {
  return layout === 'a5' ? '@page { size: A5 portrait; margin: 12mm; }' : `@page { size: 80mm ${heightMm}mm; margin: 0; }`;
}

function SlipDesk({ desk: d }: { desk: Desk }) {
  const problem = d.status === 'printerMissing' || d.status === 'printFailed' || d.status === 'printOff';
  return (
    <>
      <style>{d.page}</style>
      <div className="slip-holder">
        <NoticeSlipView slip={d.slip} layout={d.layout} lang={d.lang} />
      </div>
      {/* A print that went is plain to see (the paper, or the dialog): said to screen readers only. */}
      <p className="visually-hidden slip-done" role="status" data-testid="slip-done" data-status={d.status ?? ''}>
        {d.status && !problem ? T[d.status][d.lang] : ''}
      </p>
      {problem && d.status && (
        <section className="slip-status" aria-label={T.statusRegion[d.lang]} data-testid="slip-status" data-status={d.status}>
          <p role="alert" data-testid="slip-problem">
            {T[d.status][d.lang]}
          </p>
          <div className="slip-status-actions">
            {d.status !== 'printOff' && (
              <button type="button" data-testid="slip-reprint" disabled={d.printing} onClick={() => void printDrawn()}>
                {T.reprint[d.lang]}
              </button>
            )}
            <button type="button" data-testid="slip-dismiss" onClick={() => update({ status: null })}>
              {T.dismiss[d.lang]}
            </button>
          </div>
        </section>
      )}
    </>
  );
}
