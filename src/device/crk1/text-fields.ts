/** Fixed-width ASCII fields (HELLO, FAULT) and length-capped UTF-8 text (TEXT). */

/** Writes ASCII into a NUL-padded field; refuses what would not fit or is not printable ASCII. */
export function writeAsciiField(bytes: Uint8Array, at: number, width: number, value: string): void {
  if (value.length > width) throw new RangeError(`"${value}" is longer than ${width} characters`);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) throw new RangeError(`"${value}" is not printable ASCII`);
    bytes[at + i] = code;
  }
}

/**
 * Reads a NUL-padded ASCII field. Unprintable bytes make it unreadable (null), or are shown
 * as `replacement` when one is given, for fields only people read.
 */
export function readAsciiField(bytes: Uint8Array, at: number, width: number, replacement?: string): string | null {
  let text = '';
  for (let i = at; i < at + width && i < bytes.length; i++) {
    const code = bytes[i] as number;
    if (code === 0) break;
    if (code < 0x20 || code > 0x7e) {
      if (replacement === undefined) return null;
      text += replacement;
    } else {
      text += String.fromCharCode(code);
    }
  }
  return text.trim();
}

/** UTF-8 bytes of `text`, cut at a character boundary so they fit in `maxBytes`. */
export function utf8Truncate(text: string, maxBytes: number): Uint8Array {
  const encoder = new TextEncoder();
  let bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return bytes;
  let cut = '';
  for (const char of text) {
    const next = cut + char;
    if (encoder.encode(next).length > maxBytes) break;
    cut = next;
  }
  bytes = encoder.encode(cut);
  return bytes;
}
