import { fileBytes, positiveInt } from '../media-spec.js';
import type { Prng } from '../prng.js';

/** A file Telegram keeps: what getFile describes and `/file/bot<token>/<path>` serves. */
export interface TgFile {
  fileId: string;
  fileUniqueId: string;
  /** Bytes; the download serves this many. */
  size: number;
  /** `photos/file_7.jpg`: the file_path of getFile. */
  path: string;
  mime: string;
}

/** What a citizen's message may carry (the control API's `sendTelegramMessage`). */
export interface TgMediaSpec {
  /** A photo: sent as three sizes, the largest `width`×`height` (default 1280×960) of `size` bytes. */
  photo?: { width?: number; height?: number; size?: number };
  document?: { fileName: string; mimeType?: string; size?: number };
  video?: { width?: number; height?: number; duration?: number; size?: number };
  voice?: { duration?: number; size?: number };
  /** A location message (it has no text). */
  location?: { latitude: number; longitude: number };
}

/** Telegram lets bots download files up to 20 MB (getFile refuses bigger ones). */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/**
 * The files of the emulated Telegram: citizens' photos, documents, videos and voice messages get
 * file ids here; getFile describes them and the file route serves their bytes (a JPEG marker and
 * filler: enough for a download to be checked by size).
 */
export class TelegramFiles {
  private readonly byId = new Map<string, TgFile>();
  private readonly byPath = new Map<string, TgFile>();
  private next = 1;

  constructor(private readonly prng: Prng) {}

  register(folder: 'photos' | 'documents' | 'videos' | 'voice', ext: string, size: number, mime: string): TgFile {
    const n = this.next++;
    const file: TgFile = {
      fileId: `${folder === 'photos' ? 'AgAC' : folder === 'voice' ? 'AwAC' : 'BQAC'}${this.prng.hex(24)}${n}`,
      fileUniqueId: `AQAD${this.prng.hex(8)}${n}`,
      size,
      path: `${folder}/file_${n}.${ext}`,
      mime,
    };
    this.byId.set(file.fileId, file);
    this.byPath.set(file.path, file);
    return file;
  }

  get(fileId: string): TgFile | undefined {
    return this.byId.get(fileId);
  }

  byFilePath(path: string): TgFile | undefined {
    return this.byPath.get(path);
  }

  /** The bytes a download of `file` serves. */
  bytes(file: TgFile): Buffer {
    return fileBytes(file.size, file.mime);
  }

  /** The Bot API `File` object (getFile). */
  fileObject(file: TgFile): Record<string, unknown> {
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.path };
  }

  /** The message fields a citizen's media spec becomes (photo sizes, document, video, voice, location). Throws on a bad spec. */
  messageFields(spec: TgMediaSpec): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    if (spec.photo) {
      const width = positiveInt(spec.photo.width, 1280, 10_000);
      const height = positiveInt(spec.photo.height, 960, 10_000);
      const size = positiveInt(spec.photo.size, 120_000);
      fields.photo = [90, 320, width].map((w, i) => {
        const scale = Math.min(1, w / width);
        const part = i === 2 ? size : Math.max(1, Math.round(size * scale * scale));
        const file = this.register('photos', 'jpg', part, 'image/jpeg');
        return {
          file_id: file.fileId,
          file_unique_id: file.fileUniqueId,
          file_size: part,
          width: Math.round(width * scale),
          height: Math.round(height * scale),
        };
      });
    }
    if (spec.document) {
      const name = spec.document.fileName;
      if (typeof name !== 'string' || name === '' || name.length > 255) throw new Error('document.fileName must be a file name');
      const mime = spec.document.mimeType ?? 'application/octet-stream';
      const file = this.register('documents', name.includes('.') ? (name.split('.').pop() ?? 'bin') : 'bin', positiveInt(spec.document.size, 50_000), mime);
      fields.document = { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_name: name, mime_type: mime, file_size: file.size };
    }
    if (spec.video) {
      const file = this.register('videos', 'mp4', positiveInt(spec.video.size, 2_000_000), 'video/mp4');
      fields.video = {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        width: positiveInt(spec.video.width, 1280, 10_000),
        height: positiveInt(spec.video.height, 720, 10_000),
        duration: positiveInt(spec.video.duration, 15, 86_400),
        mime_type: 'video/mp4',
        file_size: file.size,
      };
    }
    if (spec.voice) {
      const file = this.register('voice', 'oga', positiveInt(spec.voice.size, 20_000), 'audio/ogg');
      fields.voice = {
        file_id: file.fileId,
        file_unique_id: file.fileUniqueId,
        duration: positiveInt(spec.voice.duration, 5, 86_400),
        mime_type: 'audio/ogg',
        file_size: file.size,
      };
    }
    if (spec.location) {
      const { latitude, longitude } = spec.location;
      if (typeof latitude !== 'number' || typeof longitude !== 'number' || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
        throw new Error('location needs latitude (−90…90) and longitude (−180…180)');
      }
      fields.location = { latitude, longitude };
    }
    return fields;
  }
}
