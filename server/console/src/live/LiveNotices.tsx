/**
 * The live notice in the console frame: the connection indicator and the sound switch at
 * the foot of the nav, and a stack of notices (new poor rating, rule alert, integrity
 * alert) that stay until dismissed, each with a short sound when sound is on.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ConsoleRole, LiveEvent } from '../../../../src/shared/console/contract';
import { LEVEL_LABELS } from '../../../../src/shared/levels';
import { formatters } from '../i18n';
import { useItStrings } from '../pages/it/strings';
import { recordHref } from '../pages/follow-up/follow-up-api';
import { useFollowUpStrings } from '../pages/follow-up/strings';
import { Link } from '../router';
import { connectLive, useLiveEvents, type LiveStatus } from './live-events';
import { chime, rememberSound, soundReady, soundWanted, unlockSound } from './sound';

type Noticed = Extract<LiveEvent, { type: 'poor_rating' | 'rule_alert' | 'integrity_alert' }>;
const NOTICED = ['poor_rating', 'rule_alert', 'integrity_alert'] as const;
/** Notices shown at once; older ones wait under "dismiss all". */
const SHOWN = 3;
/** Notices kept for "dismiss all"; the ledger and alert pages hold the rest. */
const KEPT = 200;

/** Evaluators hear nothing; every other role has the channel. */
export function hearsLive(role: ConsoleRole): boolean {
  return role !== 'evaluator';
}

export function LiveNotices({ role }: { role: ConsoleRole }) {
  const { fu } = useFollowUpStrings();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [notices, setNotices] = useState<{ key: string; event: Noticed }[]>([]);
  const [soundOn, setSoundOn] = useState(soundWanted);
  const [audible, setAudible] = useState(soundReady);

  useEffect(() => connectLive(setStatus), []);

  // After a reload the switch is remembered, but the browser wants a click or key first.
  useEffect(() => {
    if (!soundOn || audible) return;
    const wake = () => void unlockSound().then(setAudible);
    window.addEventListener('pointerdown', wake, { once: true });
    window.addEventListener('keydown', wake, { once: true });
    return () => {
      window.removeEventListener('pointerdown', wake);
      window.removeEventListener('keydown', wake);
    };
  }, [soundOn, audible]);

  const heard = useCallback(
    (event: LiveEvent) => {
      const key = event.type === 'poor_rating' ? `p${event.followUpId}` : event.type === 'rule_alert' ? `r${event.alertId}` : event.type === 'integrity_alert' ? `i${event.alertId}` : '';
      if (!key) return;
      setNotices((list) => (list.some((n) => n.key === key) ? list : [{ key, event: event as Noticed }, ...list].slice(0, KEPT)));
      if (soundOn) chime(event.type === 'poor_rating' ? 'poor' : 'alert');
    },
    [soundOn],
  );
  useLiveEvents(NOTICED, heard);

  const toggleSound = () => {
    const next = !soundOn;
    rememberSound(next);
    setSoundOn(next);
    if (next) {
      void unlockSound().then((ready) => {
        setAudible(ready);
        if (ready) chime('alert');
      });
    }
  };
  const dismiss = (key: string) => setNotices((list) => list.filter((n) => n.key !== key));

  return (
    <>
      <div className="live-status" data-testid="live-status" data-status={status}>
        <span className={`dot ${status}`} aria-hidden="true" />
        <span role="status">{fu.live[status]}</span>
        <button type="button" className="link" aria-pressed={soundOn} onClick={toggleSound} data-testid="sound-toggle">
          {soundOn ? fu.live.soundOn : fu.live.soundOff}
        </button>
        {soundOn && !audible ? <span className="note">{fu.live.soundBlocked}</span> : null}
      </div>
      {notices.length > 0 ? (
        <section className="live-notices" aria-label={fu.live.notices}>
          {notices.slice(0, SHOWN).map((n) => (
            <Notice key={n.key} event={n.event} role={role} onDismiss={() => dismiss(n.key)} />
          ))}
          {notices.length > 1 ? (
            <button type="button" className="dismiss-all" onClick={() => setNotices([])}>
              {fu.live.dismissAll(notices.length)}
            </button>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function Notice({ event, role, onDismiss }: { event: Noticed; role: ConsoleRole; onDismiss(): void }) {
  const { fu, language } = useFollowUpStrings();
  const { it } = useItStrings();
  const f = formatters(language);
  let title: string;
  let lines: string[];
  let link: { href: string; text: string } | null = null;
  let at: number;
  if (event.type === 'poor_rating') {
    title = fu.live.poor(LEVEL_LABELS[event.level][language]);
    lines = [[event.windowNo ? fu.live.window(event.windowNo) : null, event.staffName, event.itemName].filter(Boolean).join(' · '), [event.departmentName, event.reasonCodes.join(' ')].filter(Boolean).join(' · ')];
    link = { href: recordHref(event.followUpId), text: fu.live.openRecord };
    at = event.ratedAt;
  } else if (event.type === 'rule_alert') {
    title = fu.live.rule(fu.alerts.ruleNames[event.rule]);
    lines = [fu.alerts.explain(event.rule, event.windowNo, event.followUpId)];
    link = event.followUpId === null ? null : { href: recordHref(event.followUpId), text: fu.live.openRecord };
    at = event.raisedAt;
  } else {
    title = fu.live.integrity;
    const kind = (it.windows.kinds as Record<string, string>)[event.kind] ?? event.kind;
    lines = [[event.windowNo ? fu.live.window(event.windowNo) : event.terminalId, kind].join(' · ')];
    link = role === 'admin' ? { href: '/windows', text: fu.live.openWindows } : null;
    at = event.detectedAt;
  }
  return (
    <div className={`live-notice ${event.type}`} role="alert" data-testid="live-notice" data-type={event.type}>
      <div className="head">
        <strong>{title}</strong>
        <span className="note">{f.time(at)}</span>
      </div>
      {lines.filter(Boolean).map((line) => (
        <div key={line}>{line}</div>
      ))}
      <div className="foot">
        {link ? <Link href={link.href}>{link.text}</Link> : <span />}
        <button type="button" onClick={onDismiss}>{fu.live.dismiss}</button>
      </div>
    </div>
  );
}
