/** Small formatting helpers shared by both screens. */

/** 0.9853 -> "98.5%"; null -> "—". */
export function percent(value: number | null): string {
  if (value === null) return '—';
  return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** Local HH:MM:SS of a time stamp (ms), or "—". */
export function clockTime(at: number | null): string {
  if (at === null) return '—';
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** "wrong PIN" -> "Wrong PIN.": the core's words, set as a sentence. */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === '') return trimmed;
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  if (/[.!?。！？]$/.test(first)) return first;
  // A Chinese sentence ends with a Chinese full stop, whatever technical English it quotes.
  return /[\u4e00-\u9fff]/.test(first) ? `${first}。` : `${first}.`;
}
