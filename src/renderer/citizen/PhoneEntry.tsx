/**
 * A callback number entered on an on-screen digit pad (a kiosk has no keyboard). Once the
 * number is complete it is only ever shown masked, so people nearby cannot read it.
 */
import { isPlausiblePhone, maskPhone } from '../../shared/privacy';
import type { Lang } from '../common/lang';
import { CITIZEN_TEXT as T } from './strings';

const MAX_DIGITS = 12;
const PAD = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

export function PhoneEntry({ phone, onChange, lang }: { phone: string; onChange(phone: string): void; lang: Lang }) {
  const complete = isPlausiblePhone(phone);
  if (complete) {
    return (
      <div className="phone phone-done">
        <span className="phone-label" id="phone-label">
          {T.phoneLabel[lang]}
        </span>
        <output className="phone-masked" aria-labelledby="phone-label" data-testid="phone-masked">
          {maskPhone(phone)}
        </output>
        <button type="button" className="chip" onClick={() => onChange('')}>
          {T.phoneClear[lang]}
        </button>
      </div>
    );
  }
  return (
    <div className="phone">
      <label className="phone-label" htmlFor="callback-phone">
        {T.phoneLabel[lang]}
      </label>
      <input
        id="callback-phone"
        className="phone-input"
        data-testid="phone-input"
        type="tel"
        inputMode="numeric"
        autoComplete="off"
        maxLength={MAX_DIGITS + 1}
        value={phone}
        onChange={(e) => onChange(e.target.value.replace(/[^\d-]/g, '').slice(0, MAX_DIGITS + 1))}
      />
      <div className="phone-pad" role="group" aria-label={T.phoneLabel[lang]}>
        {PAD.map((digit) => (
          <button key={digit} type="button" className="pad-key" onClick={() => onChange((phone + digit).slice(0, MAX_DIGITS))}>
            {digit}
          </button>
        ))}
        <button type="button" className="pad-key pad-delete" onClick={() => onChange(phone.slice(0, -1))}>
          {T.phoneDelete[lang]}
        </button>
      </div>
    </div>
  );
}
