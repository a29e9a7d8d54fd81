/**
 * The citizen screen speaks the standard phrases when the keypad cannot (the core decides:
 * snapshot.speech). It uses the system's Chinese voice where there is one, and otherwise the
 * recorded clips made by scripts/make-speech-clips.ts. A new phrase cuts off the one before,
 * as the keypad's own voice does.
 */
import { useEffect, useRef } from 'react';
import type { Snapshot } from '../../shared/contract';
import { PHRASES, type PromptKey } from '../../shared/phrases';
import { chineseVoice } from '../common/voices';

/** Written out one by one: the bundler copies each clip it can see named here. */
const CLIPS: Record<PromptKey, string> = {
  greeting: new URL('./clips/greeting.ogg', import.meta.url).href,
  please_wait: new URL('./clips/please_wait.ogg', import.meta.url).href,
  please_rate: new URL('./clips/please_rate.ogg', import.meta.url).href,
  thanks: new URL('./clips/thanks.ogg', import.meta.url).href,
  sorry_for_wait: new URL('./clips/sorry_for_wait.ogg', import.meta.url).href,
  thanks_for_feedback: new URL('./clips/thanks_for_feedback.ogg', import.meta.url).href,
};

/** A phrase that reaches the screen later than this (it was away) is past its moment: not said. */
const STALE_MS = 10_000;

let playing: HTMLAudioElement | null = null;
let speaking: SpeechSynthesisUtterance | null = null;

/** Says one phrase at a volume of 0 to 100. */
export function sayPhrase(phrase: PromptKey, volume: number): void {
  if (volume <= 0) return;
  const voice = chineseVoice();
  playing?.pause();
  playing = null;
  speaking = null;
  if (!voice) return playClip(phrase, volume);
  const synth = window.speechSynthesis;
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(PHRASES[phrase].zh);
  utterance.lang = 'zh-CN';
  utterance.voice = voice;
  utterance.volume = volume / 100;
  // A voice that is listed but cannot speak (no speech service running): the clip says it instead.
  // One cut off by the next phrase is not a failure.
  utterance.onerror = (e) => {
    if (speaking === utterance && e.error !== 'interrupted' && e.error !== 'canceled') playClip(phrase, volume);
  };
  speaking = utterance;
  synth.speak(utterance);
}

function playClip(phrase: PromptKey, volume: number): void {
  const audio = new Audio(CLIPS[phrase]);
  audio.volume = volume / 100;
  playing = audio;
  // A refused play (no sound device, a browser that wants a touch first) must not break the screen.
  audio.play().catch(() => undefined);
}

/**
 * Speaks each new phrase the core gives the screen. The phrase in the first snapshot a page
 * sees was said before it came (or while it was away): it is taken as said, never replayed.
 */
export function useSpeech(snapshot: Snapshot | null): void {
  const seen = useRef<number | null | undefined>(undefined);
  const speech = snapshot?.speech;
  const last = speech?.last ?? null;
  useEffect(() => {
    if (!snapshot || !speech) return;
    const seq = last?.seq ?? null;
    const first = seen.current === undefined;
    if (seq === seen.current) return;
    seen.current = seq;
    if (first || !last || speech.by !== 'screen') return;
    if (snapshot.at - last.at > STALE_MS) return;
    sayPhrase(last.phrase, speech.volume);
    // Only the first snapshot and the phrase's number matter: other changes to the window say nothing.
  }, [snapshot === null, last?.seq]);
}
