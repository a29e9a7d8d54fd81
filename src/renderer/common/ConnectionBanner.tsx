import type { Lang } from './lang';

const TEXT = {
  zh: '与服务程序的连接已断开，正在重新连接…',
  en: 'Lost the connection to Cordial. Reconnecting…',
};

/** Shown across the top while the transport is down, so nobody trusts a stale screen. */
export function ConnectionBanner({ connected, lang }: { connected: boolean; lang: Lang }) {
  if (connected) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      {TEXT[lang]}
    </div>
  );
}
