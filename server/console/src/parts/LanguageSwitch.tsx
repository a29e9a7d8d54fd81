import { useStrings } from '../i18n';

/** The switch on pages before sign-in, where there is no top bar. */
export function LanguageSwitch() {
  const { t, language, setLanguage } = useStrings();
  return (
    <button type="button" className="link language" lang={language === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
      {t.top.language}
    </button>
  );
}
