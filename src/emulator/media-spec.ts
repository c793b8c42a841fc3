/**
 * What the VK and Telegram media builders share: checking the numbers of a citizen's file spec
 * (control API input, so hostile) and the bytes the emulator serves for a file.
 */

/** The emulator never holds more than this per file in memory; a bigger size is only claimed, and served as this many bytes. */
const MAX_SERVED_BYTES = 25 * 1024 * 1024;

/** A positive whole number up to `max`, `fallback` when absent; throws a readable error otherwise. */
export function positiveInt(value: unknown, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > max)
    throw new Error(`${String(value)} is not a positive whole number up to ${max}`);
  return value;
}

/** `size` bytes of filler (a JPEG marker first for images): enough for a download to be checked by size. */
export function fileBytes(size: number, mime: string): Buffer {
  const bytes = Buffer.alloc(Math.min(size, MAX_SERVED_BYTES), 0x5a);
  if (mime === 'image/jpeg') Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(bytes);
  return bytes;
}
