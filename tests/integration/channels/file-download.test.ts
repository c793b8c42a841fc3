import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from '../../../src/channels/file-download.js';
import { ApiError, HttpError } from '../../../src/errors.js';

/** A file host on loopback that answers by path: a chunked body with no Content-Length, a lying one, errors. */
let server: Server;
let base: string;
const dir = mkdtempSync(join(tmpdir(), 'otklik-download-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/chunked') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      for (let i = 0; i < 10; i += 1) res.write(Buffer.alloc(10_000, i));
      return res.end();
    }
    if (req.url === '/declared-big') {
      res.writeHead(200, { 'content-length': '5000000' });
      return res.end();
    }
    if (req.url === '/gone') return res.writeHead(404).end('no');
    if (req.url === '/busy') return res.writeHead(503).end('later');
    res.writeHead(200, { 'content-length': '3' });
    res.end('abc');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const options = { platform: 'vk' as const, maxBytes: 50_000, timeoutMs: 5_000 };

describe('downloading a file with a size cap', () => {
  it('should write the whole file and report its size', async () => {
    expect(await downloadFile(`${base}/small`, join(dir, 'a', 'small.jpg'), options)).toEqual({ bytes: 3 });
    expect(statSync(join(dir, 'a', 'small.jpg')).size).toBe(3);
  });

  it('should stop a body that passes the cap without a Content-Length, leaving no file behind', async () => {
    await expect(downloadFile(`${base}/chunked`, join(dir, 'big.jpg'), options)).rejects.toMatchObject({ apiCode: 413 });
    await expect(downloadFile(`${base}/declared-big`, join(dir, 'big2.jpg'), options)).rejects.toBeInstanceOf(ApiError);
    expect(readdirSync(dir).filter((n) => n.startsWith('big'))).toEqual([]);
  });

  it('should refuse for good on 4xx and ask for a retry on 5xx and a dead host', async () => {
    await expect(downloadFile(`${base}/gone`, join(dir, 'gone.jpg'), options)).rejects.toMatchObject({ apiCode: 404 });
    await expect(downloadFile(`${base}/busy`, join(dir, 'busy.jpg'), options)).rejects.toBeInstanceOf(HttpError);
    const error = await downloadFile('http://127.0.0.1:1/bot123:SECRET/file', join(dir, 'x.jpg'), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(String((error as Error).message)).not.toContain('SECRET');
    expect(existsSync(join(dir, 'busy.jpg'))).toBe(false);
  });
});
