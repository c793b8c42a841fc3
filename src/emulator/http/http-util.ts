import type { IncomingMessage, ServerResponse } from 'node:http';

/** A file part of a multipart/form-data body. */
export interface UploadedFile {
  readonly field: string;
  readonly filename: string;
  readonly size: number;
  readonly contentType: string;
}

/** Request parameters merged from the query string and the body, plus uploaded files. */
export interface ParsedRequest {
  readonly params: Record<string, unknown>;
  readonly files: UploadedFile[];
  /** Set when the body could not be parsed (bad JSON, broken multipart). */
  readonly bodyError?: string;
}

/** Largest accepted body; Telegram itself caps uploads at 50 MB, the emulator needs far less. */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Merges GET query parameters with a POST body in any of the encodings the real
 * clients use: vk-io sends form-urlencoded, telegraf JSON or multipart/form-data.
 * Body values win over query values of the same name.
 */
export async function parseRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  const body = await readBody(req);
  if (body.length === 0) return { params, files: [] };
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  try {
    if (contentType.startsWith('application/json')) {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
      return { params, files: [] };
    }
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
      const files: UploadedFile[] = [];
      for (const [key, value] of form) {
        if (typeof value === 'string') {
          params[key] = value;
        } else {
          files.push({ field: key, filename: value.name, size: value.size, contentType: value.type });
          params[key] = { upload: key };
        }
      }
      return { params, files };
    }
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params[key] = value;
    return { params, files: [] };
  } catch (error) {
    return { params, files: [], bodyError: error instanceof Error ? error.message : String(error) };
  }
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  sendText(res, status, JSON.stringify(payload), 'application/json');
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain'): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': `${contentType}; charset=utf-8`,
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Resolves after `ms`, or at once when the signal aborts (so close() never waits for a delay). */
/** Resolves once the client has closed the connection of `res` (gave up waiting) or `signal` aborts. */
export function untilClosed(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || res.destroyed || res.writableEnded) return resolve();
    function done(): void {
      res.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    }
    res.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

// === Parameter readers shared by both APIs

/** Reads an integer from a number or a numeric string; undefined when absent or empty. */
export function readInt(params: Record<string, unknown>, name: string): number | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isInteger(n) ? n : Number.NaN;
}

export function readString(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** VK and Telegram both accept 1/0, "1"/"0" and true/false. */
export function readBool(params: Record<string, unknown>, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** Reads an object sent either as JSON (telegraf's JSON mode) or as a JSON string (multipart, query). */
export function readObject(params: Record<string, unknown>, name: string): unknown {
  const value = params[name];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
