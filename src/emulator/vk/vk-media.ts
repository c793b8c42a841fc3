import { fileBytes, positiveInt } from '../media-spec.js';
import type { Prng } from '../prng.js';

/** What a citizen's comment or message may carry (the control API's `addComment` / `sendCommunityMessage`). */
export type VkAttachmentSpec =
  /** A photo whose largest size is `width`×`height` (default 1280×960); smaller sizes are listed too, as VK does. */
  | { type: 'photo'; width?: number; height?: number; size?: number }
  /** A document; `ext` defaults to the title's extension. */
  | { type: 'doc'; title: string; ext?: string; size?: number }
  | { type: 'video'; title?: string; duration?: number }
  /** A voice message (community messages). */
  | { type: 'audio_message'; duration?: number }
  | { type: 'sticker' };

/** A point a community message carries (`geo`). */
export interface VkGeoSpec {
  latitude: number;
  longitude: number;
}

/** VK's photo size letters with the longest side of each (the ones `photos.photo.sizes` lists). */
const SIZES: [string, number][] = [
  ['s', 75],
  ['m', 130],
  ['x', 604],
  ['y', 807],
  ['z', 1080],
  ['w', 2560],
];

/** VK's document types by extension (docs_doc.type): 1 text, 2 archive, 3 gif, 4 image, 5 audio, 6 video, 7 e-book, 8 other. */
const DOC_TYPES: Readonly<Record<string, number>> = {
  pdf: 1,
  txt: 1,
  doc: 1,
  docx: 1,
  xls: 1,
  xlsx: 1,
  zip: 2,
  rar: 2,
  gif: 3,
  jpg: 4,
  jpeg: 4,
  png: 4,
  heic: 4,
  mp3: 5,
  mp4: 6,
  epub: 7,
};

interface VkFile {
  size: number;
  mime: string;
}

/**
 * The files of the emulated VK: citizens' photos and documents get addresses under
 * `<emulator>/vk-files/`, which the emulator serves (a JPEG marker and filler), as VK's CDN would.
 */
export class VkMedia {
  private readonly files = new Map<string, VkFile>();
  private nextId = 456_239_001;

  constructor(
    private readonly prng: Prng,
    private readonly baseUrl: () => string,
  ) {}

  private file(name: string, size: number, mime: string): string {
    this.files.set(name, { size, mime });
    return `${this.baseUrl()}/vk-files/${name}`;
  }

  /** The bytes of a served file; undefined for an unknown name. */
  bytes(name: string): { bytes: Buffer; mime: string } | undefined {
    const file = this.files.get(name);
    if (!file) return undefined;
    return { bytes: fileBytes(file.size, file.mime), mime: file.mime };
  }

  /** The wire objects (wall_wallpost_attachment / messages_message_attachment) of the specs, owned by `ownerId`. Throws on a bad spec. */
  attachments(specs: unknown, ownerId: number, date: number): Record<string, unknown>[] {
    if (specs === undefined) return [];
    if (!Array.isArray(specs) || specs.length > 10) throw new Error('attachments must be a list of at most 10');
    return specs.map((spec: VkAttachmentSpec) => this.attachment(spec, ownerId, date));
  }

  private attachment(spec: VkAttachmentSpec, ownerId: number, date: number): Record<string, unknown> {
    const id = this.nextId++;
    const accessKey = this.prng.hex(18);
    switch (spec?.type) {
      case 'photo': {
        const width = positiveInt(spec.width, 1280, 10_000);
        const height = positiveInt(spec.height, 960, 10_000);
        const size = positiveInt(spec.size, 150_000);
        const longest = Math.max(width, height);
        // Every size up to the original, then the original itself (VK lists the largest last).
        const fits = SIZES.filter(([, side]) => side < longest);
        const largest = SIZES.find(([, side]) => side >= longest)?.[0] ?? 'w';
        const sizes = [...fits.map(([type, side]) => [type, side / longest] as const), [largest, 1] as const].map(([type, scale]) => ({
          type,
          width: Math.round(width * scale),
          height: Math.round(height * scale),
          url: this.file(`photo${ownerId}_${id}_${type}.jpg`, Math.max(1, Math.round(size * scale * scale)), 'image/jpeg'),
        }));
        return { type: 'photo', photo: { id, album_id: -7, owner_id: ownerId, date, sizes, text: '', has_tags: false, access_key: accessKey } };
      }
      case 'doc': {
        if (typeof spec.title !== 'string' || spec.title === '' || spec.title.length > 255) throw new Error('a doc needs a title');
        const ext = (spec.ext ?? (spec.title.includes('.') ? spec.title.split('.').pop() : 'bin') ?? 'bin').toLowerCase();
        const size = positiveInt(spec.size, 60_000);
        const url = this.file(`doc${ownerId}_${id}.${ext}`, size, ext === 'pdf' ? 'application/pdf' : 'application/octet-stream');
        return { type: 'doc', doc: { id, owner_id: ownerId, title: spec.title, size, ext, url, date, type: DOC_TYPES[ext] ?? 8, access_key: accessKey } };
      }
      case 'video':
        return {
          type: 'video',
          video: {
            id,
            owner_id: ownerId,
            title: spec.title ?? 'Видео',
            duration: positiveInt(spec.duration, 20, 86_400),
            date,
            access_key: accessKey,
            can_add: 1,
            type: 'video',
          },
        };
      case 'audio_message': {
        const duration = positiveInt(spec.duration, 5, 3_600);
        return {
          type: 'audio_message',
          audio_message: {
            id,
            owner_id: ownerId,
            duration,
            waveform: [0, 3, 7, 12, 7, 3, 0],
            link_ogg: this.file(`voice${ownerId}_${id}.ogg`, duration * 4_000, 'audio/ogg'),
            link_mp3: this.file(`voice${ownerId}_${id}.mp3`, duration * 8_000, 'audio/mpeg'),
            access_key: accessKey,
          },
        };
      }
      case 'sticker':
        return {
          type: 'sticker',
          sticker: { inner_type: 'base_sticker_new', sticker_id: 9000 + (id % 1000), product_id: 1, images: [], images_with_background: [] },
        };
      default:
        throw new Error(`unknown attachment type ${String((spec as { type?: unknown } | undefined)?.type)}`);
    }
  }

  /** A community message's `geo` (base_geo). Throws on a bad point. */
  geo(spec: unknown): Record<string, unknown> | undefined {
    if (spec === undefined) return undefined;
    const point = spec as Partial<VkGeoSpec> | null;
    if (
      !point ||
      typeof point.latitude !== 'number' ||
      typeof point.longitude !== 'number' ||
      Math.abs(point.latitude) > 90 ||
      Math.abs(point.longitude) > 180
    ) {
      throw new Error('geo needs latitude (−90…90) and longitude (−180…180)');
    }
    return { type: 'point', coordinates: { latitude: point.latitude, longitude: point.longitude }, showmap: 1 };
  }
}
