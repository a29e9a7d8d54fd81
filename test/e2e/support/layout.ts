/** Layout checks a person would notice: scrollbars, parts cut off at the edge, text spilling out of buttons. */
import type { Page } from 'playwright-core';

export interface LayoutRule {
  /** Elements (data-testid) that must be wholly inside the viewport. */
  inside: string[];
  /** The page may scroll vertically (the staff panel) or not at all (the citizen screen). */
  scroll: 'none' | 'vertical';
}

export async function layoutProblems(page: Page, rule: LayoutRule): Promise<string[]> {
  return page.evaluate(({ inside, scroll }) => {
    const problems: string[] = [];
    const root = document.documentElement;
    const width = window.innerWidth;
    const height = window.innerHeight;
    if (root.scrollWidth > root.clientWidth) problems.push(`horizontal scrollbar: content is ${root.scrollWidth}px wide in ${root.clientWidth}px`);
    if (scroll === 'none' && root.scrollHeight > root.clientHeight) problems.push(`vertical scrolling: content is ${root.scrollHeight}px high in ${root.clientHeight}px`);
    for (const id of inside) {
      const found = document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`);
      if (found.length === 0) problems.push(`${id} is missing`);
      for (const el of found) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) problems.push(`${id} has no size`);
        if (r.left < -0.5 || r.top < -0.5 || r.right > width + 0.5 || r.bottom > height + 0.5) {
          problems.push(`${id} is outside the viewport: ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)} in ${width}x${height}`);
        }
      }
    }
    for (const el of document.querySelectorAll<HTMLElement>('button')) {
      if (el.offsetParent === null) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
        problems.push(`text spills out of the button "${(el.textContent ?? '').trim().slice(0, 30)}"`);
      }
    }
    return problems;
  }, rule);
}
