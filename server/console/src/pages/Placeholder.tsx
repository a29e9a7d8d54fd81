import type { Language } from '../i18n';
import { useStrings } from '../i18n';

/** A nav entry whose page is still to come: it says so instead of showing an empty frame. */
export function placeholderPage(name: Record<Language, string>) {
  return function Placeholder() {
    const { t, language } = useStrings();
    return (
      <section className="page">
        <h1>{name[language]}</h1>
        <p className="note">{t.placeholder(name[language])}</p>
      </section>
    );
  };
}
