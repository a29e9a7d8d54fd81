/**
 * Staff photos: the browser resizes them, the server still checks what it stores. The type
 * comes from the bytes (magic numbers), never from the label, so a script or an SVG sent as
 * "image/jpeg" is refused; the size is bounded so every window's config pull stays small.
 */
import { PHOTO_MAX_BYTES } from '../../../src/shared/console/it-contract';
import { Refusal } from '../errors';

type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

const startsWith = (bytes: Buffer, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);

/** The image type the bytes really are, or null. */
export function sniffImage(bytes: Buffer): PhotoType | null {
  if (bytes.length >= 4 && startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (bytes.length >= 8 && startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF....WEBP
  if (bytes.length >= 12 && startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

const DATA_URL = /^data:([a-z0-9.+/-]*)(?:;[a-z0-9=._-]+)*;base64,([A-Za-z0-9+/]*={0,2})$/i;

/** A checked photo as the data: URL the windows receive, labelled with the type its bytes are. */
export function checkedPhoto(dataUrl: string): { dataUrl: string; type: PhotoType; bytes: number } {
  const match = DATA_URL.exec(dataUrl.trim());
  if (!match) throw new Refusal(400, 'photo-not-image', 'the photo did not arrive as an image file; choose a JPEG, PNG or WebP picture and upload it again').because('it.photo_unreadable');
  const bytes = Buffer.from(match[2]!, 'base64');
  const type = sniffImage(bytes);
  if (!type) throw new Refusal(400, 'photo-not-image', 'this file is not a JPEG, PNG or WebP picture; choose a photo in one of those formats').because('it.photo_not_image');
  if (bytes.length > PHOTO_MAX_BYTES) {
    const kb = Math.ceil(bytes.length / 1024);
    throw new Refusal(
      413,
      'photo-too-large',
      `this photo is ${kb} KB; the windows take photos up to ${PHOTO_MAX_BYTES / 1024} KB: choose a smaller picture or let the console shrink it`,
    ).because('it.photo_too_large', { kb, maxKb: PHOTO_MAX_BYTES / 1024 });
  }
  return { dataUrl: `data:${type};base64,${bytes.toString('base64')}`, type, bytes: bytes.length };
}

/** The stored data: URL as bytes and type, to serve the picture. */
export function photoBytes(dataUrl: string): { type: string; bytes: Buffer } | null {
  const match = DATA_URL.exec(dataUrl);
  return match ? { type: match[1] || 'application/octet-stream', bytes: Buffer.from(match[2]!, 'base64') } : null;
}
