/**
 * A staff photo made small in the browser before upload: drawn on a canvas that fits
 * PHOTO_MAX_PIXELS and saved as JPEG, lowering the quality until it is within
 * PHOTO_MAX_BYTES. The centre checks the bytes again; this only spares everyone the wait.
 */
import { PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS } from '../../../../../src/shared/console/it-contract';

/** Larger files are refused before they are even opened. */
export const PHOTO_FILE_LIMIT = 10 * 1024 * 1024;

export type Resized = { ok: true; dataUrl: string; bytes: number } | { ok: false; reason: 'not-a-picture' | 'file-too-big' };

const asDataUrl = (blob: Blob) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(blob);
  });

export async function resizePhoto(file: File): Promise<Resized> {
  if (file.size > PHOTO_FILE_LIMIT) return { ok: false, reason: 'file-too-big' };
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { ok: false, reason: 'not-a-picture' };
  }
  const scale = Math.min(1, PHOTO_MAX_PIXELS / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = canvas.getContext('2d')!;
  // JPEG has no transparency: a transparent PNG gets a white background, not a black one.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  let blob: Blob | null = null;
  for (const quality of [0.85, 0.7, 0.55, 0.4]) {
    blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob && blob.size <= PHOTO_MAX_BYTES) break;
  }
  if (!blob) return { ok: false, reason: 'not-a-picture' };
  // Still too large: the centre says so in its own words.
  return { ok: true, dataUrl: await asDataUrl(blob), bytes: blob.size };
}
