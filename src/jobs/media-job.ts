import { rm } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { downloadFile } from '../channels/file-download.js';
import type { TelegramClient } from '../channels/telegram/telegram-client.js';
import type { Config } from '../config.js';
import { ApiError, describeCause } from '../errors.js';
import type { Logger } from '../logger.js';
import type { MediaFile } from '../store/media-file-store.js';
import type { Stores } from '../store/stores.js';

export interface MediaJobDeps {
  stores: Pick<Stores, 'mediaFiles'>;
  config: Pick<Config, 'media'>;
  clock: () => number;
  logger: Logger;
  /** Resolves Telegram file ids (getFile); without it Telegram files are skipped. */
  telegram: Pick<TelegramClient, 'call' | 'fileUrl'> | null;
}

export interface MediaRunResult {
  fetched: number;
  skipped: number;
  failed: number;
}

/** Files fetched per run; the rest wait for the next one. */
const BATCH = 20;
/** Attempts before a file that keeps failing (network, 5xx) is given up. */
const MAX_ATTEMPTS = 5;

/** Where and how big a file is, once resolved. */
interface Target {
  url: string;
  platform: 'vk' | 'telegram';
  size: number | null;
}

/**
 * Fetches citizens' files into `media.dir` when `media.download` is on (off by default: only the
 * metadata is kept). Each queued file (src/store/media-file-store.ts) is fetched once: a Telegram
 * file through getFile and the bot's file address, a VK file from its URL if its host is in
 * `media.allowedHosts`. A file over `media.maxFileBytes`, or one that would take the directory
 * over `media.maxTotalBytes`, is skipped (its metadata stays); a refusal is final, a network
 * failure is tried again on later runs. Retention deletes the files (RetentionJob).
 */
export class MediaJob {
  constructor(private readonly deps: MediaJobDeps) {}

  async run(signal?: AbortSignal): Promise<MediaRunResult> {
    const result: MediaRunResult = { fetched: 0, skipped: 0, failed: 0 };
    for (const file of this.deps.stores.mediaFiles.pending(BATCH)) {
      if (signal?.aborted) break;
      result[await this.fetchOne(file, signal)] += 1;
    }
    if (result.fetched + result.skipped + result.failed > 0) this.deps.logger.info(result, "citizens' files fetched");
    return result;
  }

  private async fetchOne(file: MediaFile, signal?: AbortSignal): Promise<keyof MediaRunResult> {
    const { stores, config, clock, logger } = this.deps;
    const { media } = config;
    const log = logger.child({ mediaFileId: file.id, messageId: file.messageId });
    const skip = (reason: string): 'skipped' => {
      stores.mediaFiles.skipped(file.id, reason);
      log.info({ reason }, "a citizen's file was not fetched");
      return 'skipped';
    };
    try {
      const target = await this.resolve(file);
      if (typeof target === 'string') return skip(target);
      const announced = target.size ?? file.sizeHint;
      if (announced !== null && announced > media.maxFileBytes) return skip(`${announced} bytes, over media.maxFileBytes`);
      const kept = stores.mediaFiles.keptBytes();
      if (kept + (announced ?? 0) > media.maxTotalBytes) return skip('media.maxTotalBytes reached');
      const name = `${file.messageId}-${file.position}${extensionOf(target.url)}`;
      const path = join(resolve(media.dir), name);
      const { bytes } = await downloadFile(target.url, path, {
        platform: target.platform,
        maxBytes: media.maxFileBytes,
        timeoutMs: media.timeoutMs,
        ...(signal ? { signal } : {}),
      });
      // A file whose size was not announced may still take the directory over its cap.
      if (kept + bytes > media.maxTotalBytes) {
        await rm(path, { force: true });
        return skip('media.maxTotalBytes reached');
      }
      stores.mediaFiles.fetched(file.id, name, bytes, clock());
      return 'fetched';
    } catch (error) {
      if (error instanceof ApiError) return skip(error.description);
      const giveUp = file.attempts + 1 >= MAX_ATTEMPTS;
      stores.mediaFiles.failed(file.id, describeCause(error), giveUp);
      log.warn({ err: error, giveUp }, "fetching a citizen's file failed");
      return 'failed';
    }
  }

  /** The file's address and announced size, or why it cannot be fetched. */
  private async resolve(file: MediaFile): Promise<Target | string> {
    if (file.source.startsWith('tg:')) {
      const telegram = this.deps.telegram;
      if (!telegram) return 'no Telegram client to fetch it with';
      const found = await telegram.call<{ file_path?: unknown; file_size?: unknown }>('getFile', { file_id: file.source.slice(3) });
      if (typeof found.file_path !== 'string' || found.file_path === '') return 'Telegram gave no file path';
      return { url: telegram.fileUrl(found.file_path), platform: 'telegram', size: typeof found.file_size === 'number' ? found.file_size : null };
    }
    let url: URL;
    try {
      url = new URL(file.source);
    } catch {
      return 'not a URL';
    }
    const host = url.hostname.toLowerCase();
    const allowed = this.deps.config.media.allowedHosts.some((h) => host === h.toLowerCase() || host.endsWith(`.${h.toLowerCase()}`));
    if (!allowed || (url.protocol !== 'https:' && url.protocol !== 'http:')) return `host ${host} is not in media.allowedHosts`;
    return { url: url.toString(), platform: 'vk', size: null };
  }
}

/** A short, safe extension from the file's address ('.jpg', '.pdf'); '.bin' when it has none. */
function extensionOf(url: string): string {
  const ext = extname(new URL(url).pathname).toLowerCase();
  return /^\.[a-z0-9]{1,5}$/.test(ext) ? ext : '.bin';
}
