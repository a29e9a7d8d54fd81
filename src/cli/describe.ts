import type { Snapshot, TodayFigures } from '../shared/contract';
import { LEVEL_LABELS } from '../shared/levels';
import { phraseText } from '../shared/phrases';

const PHASE: Record<Snapshot['phase'], string> = {
  closed: 'closed (no staff signed in)',
  idle: '空闲 idle',
  paused: '暂停服务 paused',
  serving: '服务中 serving',
  awaiting_rating: 'waiting for the citizen’s rating',
  thanks: 'thanking the citizen',
};

export function describeSnapshot(s: Snapshot): string {
  const lines = [`window ${s.window.windowNo} (${s.window.terminalId}): ${PHASE[s.phase]}`];
  if (s.staff) lines.push(`staff: ${s.staff.name} 工号 ${s.staff.staffNo}${s.staff.monthSatisfaction === null ? '' : `, satisfaction this month ${percent(s.staff.monthSatisfaction)}`}`);
  if (s.pause) lines.push(`paused: ${s.pause.reason}`);
  if (s.case) lines.push(`case: ${s.case.itemName} (${s.case.itemCode})${s.case.ticketNo ? ` ticket ${s.case.ticketNo}` : ''}`);
  if (s.rating) lines.push(`rating window ends in ${Math.max(0, Math.ceil((s.rating.deadline - s.at) / 1000))} s`);
  if (s.lastRating) lines.push(`rated: ${LEVEL_LABELS[s.lastRating.level].zh}`);
  const phrase = phraseText(s.phrase, 'zh', s.phraseFills);
  if (phrase) lines.push(`phrase: ${phrase}`);
  lines.push(`keypad: ${s.keypad.link}${s.keypad.detail ? ` (${s.keypad.detail})` : ''}`);
  return lines.join('\n');
}

export function describeToday(t: TodayFigures): string {
  return [
    `cases today: ${t.cases}`,
    `rated: ${t.rated}, unrated: ${t.unrated}, poor: ${t.poor}`,
    `satisfaction: ${t.satisfaction === null ? '—' : percent(t.satisfaction)}`,
    `misuse presses: ${t.misusePresses}`,
  ].join('\n');
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
