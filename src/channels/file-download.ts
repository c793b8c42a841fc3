import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ApiError, HttpError } from '../errors.js';

export interface DownloadOptions {
  /** Whose file it is, for the errors. */
  platform: 'vk' | 'telegram';
  /** A bigger file is refused: by its Content-Length before any byte is read, or when the bytes pass it. */
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * GET `url` into `path` (through `<path>.part`, renamed when complete, so a half-written file never
 * looks fetched). Throws ApiError for a refusal that a retry would not change — a 4xx answer, or
 * a file over `maxBytes` (code 413; the partial file removed) — and HttpError for anything worth
 * retrying (5xx, network, timeout). The URL may carry a token (Telegram's file address): it is
 * never part of an error's message.
 */
export async function downloadFile(url: string, path: string, options: DownloadOptions): Promise<{ bytes: number }> {
  const { platform } = options;
  const tooBig = (detail: string) => new ApiError(platform, 'download', 413, `${detail}, over media.maxFileBytes (${options.maxBytes})`);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'error' });
  } catch (cause) {
    // The cause may quote the URL (and Telegram's carries the token): only its kind is kept.
    throw new HttpError(platform, 'download', `file request failed: ${cause instanceof Error ? cause.name : 'error'}`);
  }
  if (response.status >= 400 && response.status < 500) {
    await response.body?.cancel();
    throw new ApiError(platform, 'download', response.status, `the file host answered ${response.status}`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new HttpError(platform, 'download', `the file host answered ${response.status}`, { status: response.status });
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body.cancel();
    throw tooBig(`the file is ${declared} bytes`);
  }
  await mkdir(dirname(path), { recursive: true });
  const partial = `${path}.part`;
  let bytes = 0;
  const counted = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  counted.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > options.maxBytes) counted.destroy(tooBig('the file grew'));
  });
  try {
    await pipeline(counted, createWriteStream(partial, { flags: 'w', mode: 0o600 }));
  } catch (error) {
    await rm(partial, { force: true });
    if (error instanceof ApiError) throw error;
    throw new HttpError(platform, 'download', `file transfer failed: ${error instanceof Error ? error.name : 'error'}`);
  }
  await rename(partial, path);
  return { bytes };
}
