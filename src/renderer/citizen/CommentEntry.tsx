/**
 * A short written comment typed on an on-screen keyboard (the kiosk is touch-only): pinyin
 * letters offer candidate characters from the Chinese layout's bundled dictionary, a 中/英
 * key turns the candidates off for Latin text, and the text box counts towards a limit the
 * keyboard will not pass.
 */
import { useEffect, useRef, useState } from 'react';
// The ES module build: less than half the size of the package's default (UMD) bundle.
import Keyboard from 'simple-keyboard/build/index.modern.esm.js';
import chinese from 'simple-keyboard-layouts/build/layouts/chinese';
import 'simple-keyboard/build/css/index.css';
import { redact } from '../../shared/privacy';
import { fill, type Lang } from '../common/lang';
import { CITIZEN_TEXT as T } from './strings';

export const COMMENT_MAX = 200;

type Mode = 'zh' | 'en';

const LETTERS = ['1 2 3 4 5 6 7 8 9 0 {bksp}', 'q w e r t y u i o p', 'a s d f g h j k l', 'z x c v b n m'];
const LAYOUT = {
  zh: [...LETTERS.slice(0, 3), `${LETTERS[3]} ， 。 ？`, '{mode} {space} {done}'],
  en: [...LETTERS.slice(0, 3), `${LETTERS[3]} , . ?`, '{mode} {space} {done}'],
};

// The layout file carries the pinyin dictionary, though its declared type leaves it out.
const CANDIDATES = (chinese as { layoutCandidates?: Record<string, string> }).layoutCandidates;

/** Characters, not UTF-16 units: a rare character outside the basic plane still counts once. */
export const commentLength = (text: string) => [...text].length;

interface Props {
  comment: string;
  lang: Lang;
  onChange(comment: string): void;
  onDone(): void;
}

export function CommentEntry({ comment, lang, onChange, onDone }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const keyboard = useRef<Keyboard | null>(null);
  const [mode, setMode] = useState<Mode>('zh');
  const [refused, setRefused] = useState(false);
  // The keyboard is made once; these keep its handlers on the latest props.
  const latest = useRef({ comment, onChange, onDone });
  latest.current = { comment, onChange, onDone };

  useEffect(() => {
    if (!host.current) return;
    // What the keyboard last held within the limit, kept here so presses faster than renders agree.
    let accepted = latest.current.comment;
    const kb = new Keyboard(host.current, {
      layout: LAYOUT,
      layoutName: 'zh',
      layoutCandidates: CANDIDATES,
      layoutCandidatesPageSize: 8,
      mergeDisplay: true,
      display: keyLabels(lang),
      theme: 'hg-theme-default comment-keyboard',
      buttonTheme: [{ class: 'key-wide', buttons: '{space}' }, { class: 'key-action', buttons: '{done} {mode} {bksp}' }],
      onChange: (input: string) => {
        if (commentLength(input) > COMMENT_MAX) {
          kb.setInput(accepted);
          setRefused(true);
          return;
        }
        accepted = input;
        setRefused(false);
        latest.current.onChange(input);
      },
      onKeyPress: (button: string) => {
        if (button === '{done}') latest.current.onDone();
        if (button === '{mode}') {
          const next: Mode = kb.options.layoutName === 'zh' ? 'en' : 'zh';
          kb.setOptions({ layoutName: next, layoutCandidates: next === 'zh' ? CANDIDATES : undefined });
          kb.candidateBox?.destroy();
          setMode(next);
        }
      },
    });
    kb.setInput(latest.current.comment);
    keyboard.current = kb;
    return () => {
      kb.destroy();
      keyboard.current = null;
    };
    // The keyboard lives as long as the editor; language changes only relabel its keys (below).
  }, []);

  useEffect(() => {
    keyboard.current?.setOptions({ display: keyLabels(lang) });
  }, [lang]);

  // The end of the text, where the next character goes, stays in view.
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [comment]);

  const count = commentLength(comment);
  return (
    <div className="comment-entry" data-testid="comment-entry">
      <div className="comment-head">
        <span className="comment-mode" data-testid="comment-mode">
          {mode === 'zh' ? T.commentModeZh[lang] : T.commentModeEn[lang]}
        </span>
        <span className="comment-count" data-testid="comment-count" aria-live="polite">
          {fill(T.commentCount[lang], { n: count, max: COMMENT_MAX })}
        </span>
      </div>
      <div ref={box} className="comment-text" role="textbox" aria-readonly="true" aria-label={T.commentWrite[lang]} data-testid="comment-text">
        {/* A number typed into the comment is shown masked, as the callback number is. */}
        {redact(comment) || <span className="comment-placeholder">{T.commentPlaceholder[lang]}</span>}
      </div>
      {refused && (
        <p className="citizen-error" role="alert" data-testid="comment-limit">
          {fill(T.commentTooLong[lang], { max: COMMENT_MAX })}
        </p>
      )}
      <div ref={host} className="comment-keyboard-host" data-testid="comment-keyboard" />
    </div>
  );
}

function keyLabels(lang: Lang): Record<string, string> {
  return {
    '{bksp}': T.keyBackspace[lang],
    '{space}': T.keySpace[lang],
    '{done}': T.keyDone[lang],
    '{mode}': '中 / 英',
  };
}
