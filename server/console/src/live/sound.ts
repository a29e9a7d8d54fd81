/**
 * The notice's sound, made with the Web Audio API (no audio file). Browsers keep audio
 * silent until the person has clicked or typed on the page, so the context is started on
 * the "sound on" click, or on the first click or key after a reload.
 */
const SOUND_KEY = 'cordial.console.sound';

let context: AudioContext | null = null;
const lastChime = { poor: -Infinity, alert: -Infinity };

export function soundWanted(): boolean {
  return window.localStorage.getItem(SOUND_KEY) === 'on';
}

export function rememberSound(on: boolean): void {
  window.localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

/** True when a chime would be heard now. */
export function soundReady(): boolean {
  return context?.state === 'running';
}

/** Starts (or resumes) audio; call it from a click or key handler. */
export async function unlockSound(): Promise<boolean> {
  try {
    context ??= new AudioContext();
    if (context.state !== 'running') await context.resume();
  } catch {
    return false;
  }
  return soundReady();
}

/**
 * Two short tones: falling for a poor rating, level for other alerts. Quiet and short,
 * so a hall full of consoles is not a siren.
 */
export function chime(kind: 'poor' | 'alert'): void {
  if (!context || context.state !== 'running') return;
  // A window's whole day arriving at once is one chime, not fifty.
  if (context.currentTime - lastChime[kind] < 1.5) return;
  lastChime[kind] = context.currentTime;
  const start = context.currentTime + 0.02;
  const tones = kind === 'poor' ? [880, 660] : [740, 740];
  tones.forEach((frequency, i) => {
    const at = start + i * 0.22;
    const oscillator = context!.createOscillator();
    const gain = context!.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.2);
    oscillator.connect(gain).connect(context!.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.21);
  });
}
