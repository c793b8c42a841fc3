/**
 * What a citizen sent besides words — photos, documents, video, audio and voice, stickers — and
 * where they were (a location), as metadata kept with the message. Nothing here is downloaded: a
 * VK file is a public URL, a Telegram file an id only our bot can use (send again, or fetch with
 * getFile). Channel adapters build these from platform objects (src/channels/*-normalise.ts) and
 * drop what does not validate; the store keeps them as JSON. Pure.
 */

/** A file the platform keeps. VK gives a public URL; Telegram a file id valid for our bot only. At least one is set for a photo or a document. */
export interface FileRef {
  /** An http(s) address of the file (VK). */
  url?: string;
  /** The Telegram file_id, to send the same file again (sendPhoto, sendMediaGroup) or download it (getFile). */
  fileId?: string;
}

export interface PhotoAttachment extends FileRef {
  kind: 'photo';
  /** Pixels of the largest size the platform offered, when known. */
  width: number | null;
  height: number | null;
  /** Bytes, when known. */
  size: number | null;
}

export interface DocumentAttachment extends FileRef {
  kind: 'document';
  /** The file's name as the citizen sent it (VK: title). */
  name: string | null;
  /** MIME type when the platform says (Telegram), else guessed from the extension (VK). */
  mime: string | null;
  size: number | null;
}

export interface VideoAttachment extends FileRef {
  kind: 'video';
  name: string | null;
  mime: string | null;
  size: number | null;
  /** Seconds. */
  duration: number | null;
}

/** A music file or a voice message (VK audio_message, Telegram voice). */
export interface AudioAttachment extends FileRef {
  kind: 'audio' | 'voice';
  mime: string | null;
  size: number | null;
  duration: number | null;
}

export interface StickerAttachment {
  kind: 'sticker';
  emoji: string | null;
}

/** Anything else the platform sent (a poll, a link, a repost): its platform type, for the summary. */
export interface OtherAttachment {
  kind: 'other';
  type: string;
}

/** One attachment; `kind` tells which. */
export type Attachment = PhotoAttachment | DocumentAttachment | VideoAttachment | AudioAttachment | StickerAttachment | OtherAttachment;

export type AttachmentKind = Attachment['kind'];

/** A point on the map in WGS 84 degrees. */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** Everything a message carried besides its text, as the store keeps it. */
export interface MessageMedia {
  attachments: Attachment[];
  location: GeoPoint | null;
}

/** The most attachments kept per message (VK allows 10 per comment; an album adds up to 10 more). */
export const MAX_ATTACHMENTS = 20;

/** Longest URL, file id, name or type kept; longer ones come from a broken or hostile answer. */
const MAX_URL = 2048;
const MAX_FILE_ID = 256;
const MAX_NAME = 256;

// === Building (the adapters) and reading back (the store): both validate

type Obj = Record<string, unknown>;
const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-negative whole number (pixels, bytes, seconds), or null. */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A short string, well-formed, or null. */
export function shortText(value: unknown, max = MAX_NAME): string | null {
  return typeof value === 'string' && value !== '' && value.length <= max ? value.toWellFormed() : null;
}

/** Only http(s) addresses: a link moderators open must never run script or reach a local file. */
export function fileUrl(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_URL && /^https?:\/\/[^\s<>"]+$/i.test(value) ? value : undefined;
}

/** Telegram file ids are URL-safe base64-like tokens. */
export function fileId(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_FILE_ID && /^[\w-]+$/.test(value) ? value : undefined;
}

/** A valid point, or null: latitude −90…90, longitude −180…180, finite numbers (numeric strings accepted). */
export function geoPoint(lat: unknown, lon: unknown): GeoPoint | null {
  const a = typeof lat === 'string' && lat.trim() !== '' ? Number(lat) : lat;
  const b = typeof lon === 'string' && lon.trim() !== '' ? Number(lon) : lon;
  if (typeof a !== 'number' || typeof b !== 'number' || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  if (a < -90 || a > 90 || b < -180 || b > 180) return null;
  return { lat: a, lon: b };
}

function fileRef(raw: Obj): FileRef {
  const url = fileUrl(raw.url);
  const id = fileId(raw.fileId);
  return { ...(url !== undefined ? { url } : {}), ...(id !== undefined ? { fileId: id } : {}) };
}

/**
 * One attachment from untrusted JSON (a stored row, a control API body): null when it is not one
 * we know how to keep. A photo or a document without any usable file reference is dropped.
 */
export function readAttachment(raw: unknown): Attachment | null {
  if (!isObj(raw) || typeof raw.kind !== 'string') return null;
  const ref = fileRef(raw);
  const hasFile = ref.url !== undefined || ref.fileId !== undefined;
  switch (raw.kind) {
    case 'photo':
      return hasFile ? { kind: 'photo', ...ref, width: count(raw.width), height: count(raw.height), size: count(raw.size) } : null;
    case 'document':
      return hasFile ? { kind: 'document', ...ref, name: shortText(raw.name), mime: shortText(raw.mime, 128), size: count(raw.size) } : null;
    case 'video':
      return { kind: 'video', ...ref, name: shortText(raw.name), mime: shortText(raw.mime, 128), size: count(raw.size), duration: count(raw.duration) };
    case 'audio':
    case 'voice':
      return { kind: raw.kind, ...ref, mime: shortText(raw.mime, 128), size: count(raw.size), duration: count(raw.duration) };
    case 'sticker':
      return { kind: 'sticker', emoji: shortText(raw.emoji, 16) };
    case 'other': {
      const type = shortText(raw.type, 40);
      return type ? { kind: 'other', type } : null;
    }
    default:
      return null;
  }
}

/** A message's media from untrusted JSON; anything unreadable is left out, never thrown. */
export function readMedia(raw: unknown): MessageMedia {
  if (!isObj(raw)) return { attachments: [], location: null };
  const list = Array.isArray(raw.attachments) ? raw.attachments : [];
  const attachments = list.slice(0, MAX_ATTACHMENTS).flatMap((a) => readAttachment(a) ?? []);
  const location = isObj(raw.location) ? geoPoint(raw.location.lat, raw.location.lon) : null;
  return { attachments, location };
}

// === Reading

/** The photos among the attachments, in order. */
export function photosOf(attachments: readonly Attachment[]): PhotoAttachment[] {
  return attachments.filter((a): a is PhotoAttachment => a.kind === 'photo');
}

/**
 * Something that can show the problem: a photo, a document, a video, a recording. A sticker or a
 * poll is not; a location is kept apart (MessageMedia.location).
 */
export function isEvidence(attachment: Attachment): boolean {
  return attachment.kind !== 'sticker' && attachment.kind !== 'other';
}

/** True when the message carried evidence or a location: something to add to an incident even without words. */
export function hasEvidence(media: { attachments: readonly Attachment[]; location?: GeoPoint | null }): boolean {
  return media.attachments.some(isEvidence) || (media.location !== undefined && media.location !== null);
}

/**
 * The short summary shown where only kinds matter (the console's thread, statistics): one entry
 * per attachment — its kind, or the platform type of an 'other' — and 'location' last when there is one.
 */
export function attachmentSummary(attachments: readonly Attachment[], location?: GeoPoint | null): string[] {
  const kinds = attachments.map((a) => (a.kind === 'other' ? a.type : a.kind));
  return location ? [...kinds, 'location'] : kinds;
}
