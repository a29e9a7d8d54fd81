/** The citizen screen: badge always visible, window status, the phrase of the moment, and the stage. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CordialApi, ReasonCode } from '../../shared/api';
import type { RatingLevel } from '../../shared/levels';
import { ConnectionBanner } from '../common/ConnectionBanner';
import { htmlLang, type Lang } from '../common/lang';
import { refusalText } from '../common/refusal-words';
import { useKiosk } from '../common/useKiosk';
import { Badge } from './Badge';
import { PhraseLine } from './PhraseLine';
import { useSpeech } from './speech';
import type { RatingDetails } from './PoorDetails';
import { Stage } from './Stage';
import { Suggestion, SuggestionButton, type SuggestionInput } from './Suggestion';
import { CITIZEN_TEXT as T } from './strings';
import { WindowStatus } from './WindowStatus';

/** How often typing tells the core to keep a poor rating's details open (it keeps them 30 s past the last). */
const KEEP_OPEN_EVERY_MS = 5_000;

export function CitizenScreen({ api, defaultLang }: { api: CordialApi; defaultLang: Lang }) {
  const { snapshot, connected, skewMs } = useKiosk(api);
  useSpeech(snapshot);
  // The language IT set in the settings, unless the page's address names one.
  const homeLang: Lang = new URLSearchParams(window.location.search).has('lang') ? defaultLang : (snapshot?.display.language ?? defaultLang);
  const [lang, setLang] = useState<Lang>(homeLang);
  const [reasons, setReasons] = useState<ReasonCode[]>([]);
  const [skippedFor, setSkippedFor] = useState<string | null>(null);
  const phase = snapshot?.phase;
  const lastPhase = useRef(phase);

  useEffect(() => {
    document.documentElement.lang = htmlLang(lang);
  }, [lang]);

  // The next citizen starts in the window's language again.
  useEffect(() => {
    if (phase !== lastPhase.current && (phase === 'idle' || phase === 'closed')) setLang(homeLang);
    lastPhase.current = phase;
  }, [phase, homeLang]);
  useEffect(() => setLang(homeLang), [homeLang]);

  useEffect(() => {
    if (!connected) return;
    void api.reasons().then((r) => {
      if (r.ok) setReasons(r.result);
    });
  }, [api, connected]);

  const rate = useCallback(
    async (level: RatingLevel) => {
      const r = await api.execute({ command: { type: 'rateByTouch', level } });
      return r.ok ? (r.result.ok ? null : refusalText(r.result.error, lang)) : refusalText(r.error, lang);
    },
    [api, lang],
  );

  const ratingId = snapshot?.lastRating?.id ?? null;
  const sendDetails = useCallback(
    async (details: RatingDetails) => {
      if (!ratingId) return null;
      const r = await api.execute({ command: { type: 'addRatingDetails', ratingId, ...details } });
      return r.ok ? (r.result.ok ? null : refusalText(r.result.error, lang)) : refusalText(r.error, lang);
    },
    [api, ratingId, lang],
  );

  // 意见簿: offered when the window is idle and after a rating; a rating to give closes it.
  const [suggesting, setSuggesting] = useState(false);
  const [phoneLink, setPhoneLink] = useState<string | null>(null);
  // The centre signs a fresh link each time the form opens; without a centre, the form alone.
  useEffect(() => {
    if (!suggesting || !connected) return;
    let current = true;
    void api.suggestionLink().then((r) => current && setPhoneLink(r.ok ? r.result.url : null));
    return () => {
      current = false;
    };
  }, [api, suggesting, connected]);
  useEffect(() => {
    if (phase === 'awaiting_rating') setSuggesting(false);
  }, [phase]);
  const sendSuggestion = useCallback(
    async (input: SuggestionInput) => {
      const r = await api.execute({ command: { type: 'leaveSuggestion', ...input } });
      return r.ok ? (r.result.ok ? null : refusalText(r.result.error, lang)) : refusalText(r.error, lang);
    },
    [api, lang],
  );
  const detailsOpen = snapshot?.lastRating?.poor === true && snapshot.lastRating.detailsUntil !== null && skippedFor !== ratingId;
  const offerSuggestion = phase === 'idle' || (phase === 'thanks' && !detailsOpen);

  // Typing keeps the reasons open (the core bounds how long); once every few seconds is enough.
  const lastKeepOpen = useRef(0);
  const keepDetailsOpen = useCallback(() => {
    const now = Date.now();
    if (!ratingId || now - lastKeepOpen.current < KEEP_OPEN_EVERY_MS) return;
    lastKeepOpen.current = now;
    void api.execute({ command: { type: 'keepDetailsOpen', ratingId } });
  }, [api, ratingId]);

  return (
    <div className="citizen" data-phase={phase ?? 'loading'}>
      <ConnectionBanner connected={connected} lang={lang} />
      {snapshot && (
        <>
          <header className="citizen-top">
            <WindowStatus snapshot={snapshot} lang={lang} />
            <button
              type="button"
              className="lang-toggle"
              data-testid="lang-toggle"
              lang={lang === 'zh' ? 'en' : 'zh-CN'}
              aria-label={T.languageSwitchLabel[lang]}
              onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            >
              {T.languageSwitch[lang]}
            </button>
          </header>
          <main className="citizen-main">
            <Badge snapshot={snapshot} lang={lang} />
            <div className="citizen-stage">
              <PhraseLine phrase={snapshot.phrase} fills={snapshot.phraseFills} lang={lang} />
              {suggesting ? (
                <Suggestion lang={lang} phoneLink={phoneLink} onSend={sendSuggestion} onClose={() => setSuggesting(false)} />
              ) : (
              <Stage
                snapshot={snapshot}
                skewMs={skewMs}
                lang={lang}
                reasons={reasons}
                detailsSkipped={skippedFor !== null && skippedFor === ratingId}
                onRate={rate}
                onDetails={sendDetails}
                onDetailsActivity={keepDetailsOpen}
                onSkipDetails={() => setSkippedFor(ratingId)}
              />
              )}
              {!suggesting && offerSuggestion && <SuggestionButton lang={lang} onOpen={() => setSuggesting(true)} />}
            </div>
          </main>
        </>
      )}
    </div>
  );
}
