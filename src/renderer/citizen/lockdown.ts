/**
 * Nothing on the citizen screen may take a passer-by elsewhere: no context menu, no
 * dragging, no selection, no zoom, and none of the keys that navigate or reload.
 */
const BLOCKED_KEYS = new Set(['F1', 'F3', 'F5', 'F6', 'F7', 'F11', 'F12', 'BrowserBack', 'BrowserForward', 'BrowserRefresh', 'BrowserHome', 'BrowserSearch']);

function isTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

function blockKey(e: KeyboardEvent): void {
  const navigation =
    BLOCKED_KEYS.has(e.key) ||
    (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home')) ||
    ((e.ctrlKey || e.metaKey) && !isTextField(e.target)) ||
    ((e.ctrlKey || e.metaKey) && /^[rnptwlodsfgjhu+=\-0]$/i.test(e.key)) ||
    (e.key === 'Backspace' && !isTextField(e.target));
  if (navigation) e.preventDefault();
}

export function lockDown(doc: Document = document): () => void {
  const prevent = (e: Event) => e.preventDefault();
  const notInField = (e: Event) => {
    if (!isTextField(e.target)) e.preventDefault();
  };
  const zoom = (e: WheelEvent) => {
    if (e.ctrlKey) e.preventDefault();
  };
  const middleClick = (e: MouseEvent) => {
    if (e.button !== 0) e.preventDefault();
  };
  const listeners: [string, EventListener, AddEventListenerOptions][] = [
    ['contextmenu', prevent, {}],
    ['dragstart', prevent, {}],
    ['drop', prevent, {}],
    ['selectstart', notInField, {}],
    ['keydown', blockKey as EventListener, { capture: true }],
    ['wheel', zoom as EventListener, { passive: false }],
    ['auxclick', middleClick as EventListener, {}],
    ['gesturestart', prevent, {}],
  ];
  for (const [type, fn, options] of listeners) doc.addEventListener(type, fn, options);
  return () => {
    for (const [type, fn, options] of listeners) doc.removeEventListener(type, fn, options);
  };
}
