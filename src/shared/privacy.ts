/** Personal information (citizen phone and ID numbers) is shown masked, and never logged. */

/** 13812345678 -> 138****5678. Short or odd input keeps only its last two characters. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length >= 8) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length <= 2) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/** Mainland mobile numbers and landlines with area code; used to validate callback numbers. */
export function isPlausiblePhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone) || /^0\d{2,3}-?\d{7,8}$/.test(phone);
}

const PHONE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const ID_IN_TEXT = /(?<![\dX])\d{17}[\dXx](?![\dX])/g;

/** Masks phone and resident ID numbers anywhere in free text (for log lines and error messages). */
export function redact(text: string): string {
  return text.replace(ID_IN_TEXT, (id) => `${id.slice(0, 3)}***********${id.slice(-4)}`).replace(PHONE_IN_TEXT, maskPhone);
}
