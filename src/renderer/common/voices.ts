/**
 * Whether this system can speak Chinese through the Web Speech API. Chinese Windows has a
 * zh-CN voice; many Linux machines have none, and then the citizen screen plays its recorded
 * clips. The staff panel asks the same question to say how the window speaks: both screens
 * run on the counter's PC, so they hear the same answer.
 */
import { useEffect, useState } from 'react';

/** 'voice': the system's Chinese voice; 'clips': the recorded clips. */
export type SpeechWay = 'voice' | 'clips';

function synth(): SpeechSynthesis | null {
  return typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
}

/** The system's Mandarin voice: zh-CN first, then any other Mandarin one; Cantonese (zh-HK, yue) does not say these phrases. */
export function chineseVoice(): SpeechSynthesisVoice | null {
  const voices = synth()?.getVoices() ?? [];
  const lang = (v: SpeechSynthesisVoice) => v.lang.replace('_', '-').toLowerCase();
  return (
    voices.find((v) => lang(v) === 'zh-cn') ??
    voices.find((v) => /^(zh-cn|zh-hans|cmn)/.test(lang(v))) ??
    voices.find((v) => lang(v) === 'zh' || lang(v) === 'zh-sg') ??
    null
  );
}

export function speechWay(): SpeechWay {
  return chineseVoice() ? 'voice' : 'clips';
}

/** The way, kept up to date: a system's voices may arrive a moment after the page loads. */
export function useSpeechWay(): { way: SpeechWay; voiceName: string | null } {
  const read = () => {
    const voice = chineseVoice();
    return { way: voice ? ('voice' as const) : ('clips' as const), voiceName: voice?.name ?? null };
  };
  const [state, setState] = useState(read);
  useEffect(() => {
    const s = synth();
    if (!s) return;
    const update = () => setState(read());
    update();
    s.addEventListener('voiceschanged', update);
    return () => s.removeEventListener('voiceschanged', update);
  }, []);
  return state;
}
