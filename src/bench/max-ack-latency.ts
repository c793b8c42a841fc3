/**
 * Figure: acknowledgement latency on MAX, from a citizen's message appearing in the emulator to
 * the bot's reply (linked to it) arriving there, by webhook (the emulator pushes to the bot's ops
 * HTTP server) and by long poll (GET /updates with markers). One message at a time, every
 * `gapMs`, in a house chat and in dialogs with the bot.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { App } from '../app.js';
import { createConfig, readConfigFiles } from '../config.js';
import { Emulator } from '../emulator/emulator.js';
import { Prng } from '../emulator/prng.js';
import { silentLogger } from '../logger.js';
import { sleep } from '../retry.js';
import { CONFIG_DIR } from './bench-world.js';
import { type Figure, percentile, waitUntil } from './figure.js';
import { BENCH_DELIVERY_LIMITS } from './pipeline-throughput.js';
import { complaintText } from './texts.js';

export interface MaxAckLatencyOptions {
  tmpDir: string;
  /** Messages per mode. */
  samples: number;
  gapMs: number;
}

const HOUSE_CHAT = -70_000_000_900;
const TOKEN = 'max-bench-token';
const SECRET = 'max-bench-webhook-secret';

export async function measureMaxAckLatency(options: MaxAckLatencyOptions): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const mode of ['webhook', 'longpoll'] as const) {
    const { values, missing } = await collect(mode, options);
    const s = [...values].sort((a, b) => a - b);
    const p95 = percentile(s, 95);
    const p50 = percentile(s, 50);
    const max = s[s.length - 1] ?? Number.NaN;
    const fmt = (ms: number): string => (Number.isFinite(ms) ? ms.toFixed(0) : '—');
    figures.push({
      id: `latency.max.${mode}`,
      name: `Ack latency, MAX by ${mode === 'webhook' ? 'webhook' : 'long poll'}: p95 (p50 ${fmt(p50)} ms, max ${fmt(max)} ms)`,
      value: p95,
      unit: 'ms',
      target: 'p95 ≤ 1000 ms',
      baselineName: 'target',
      baseline: 1000,
      ratio: p95 / 1000,
      ratioMeaning: 'p95 ÷ target',
      pass: s.length > 0 && p95 <= 1000,
      note: `${values.length} messages (house chat and dialogs), one every ${options.gapMs} ms (${missing} not answered: not taken for complaints); p50 ${fmt(p50)} ms, p95 ${fmt(p95)} ms, max ${fmt(max)} ms`,
    });
  }
  return figures;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function collect(mode: 'webhook' | 'longpoll', options: MaxAckLatencyOptions): Promise<{ values: number[]; missing: number }> {
  const emulator = await Emulator.start({ maxWebhookRetry: { retryBaseMs: 50, retryMaxMs: 500 } });
  let app: App | undefined;
  try {
    emulator.addMaxBot({ token: TOKEN, username: 'otklik_bench_max' });
    emulator.addMaxChat({ chatId: HOUSE_CHAT, type: 'chat', title: 'Дом Ленина 5' });
    const port = mode === 'webhook' ? await freePort() : 0;
    const config = createConfig({
      ...readConfigFiles(CONFIG_DIR),
      local: {
        database: { path: join(options.tmpDir, `max-${mode}.sqlite`) },
        vk: { communities: [] },
        telegram: { enabled: false, moderatorsChatId: null, chats: [] },
        max: {
          apiBaseUrl: emulator.maxApiBaseUrl,
          mode,
          webhook: { publicUrl: `http://127.0.0.1:${port}/max/webhook` },
          chats: [{ chatId: HOUSE_CHAT, title: 'Дом Ленина 5', municipalityId: 'zarechensk' }],
          pollTimeoutSeconds: 30,
        },
        http: { enabled: mode === 'webhook', port },
        logging: { level: 'silent' },
      },
      env: { MAX_BOT_TOKEN: TOKEN, MAX_WEBHOOK_SECRET: SECRET },
    });
    app = await App.create({ config, logger: silentLogger(), deliveryLimits: BENCH_DELIVERY_LIMITS, processMetrics: false });
    await app.start();
    if (mode === 'webhook') await waitUntil(() => emulator.maxSubscriptions().length === 1, 'the webhook subscription', 15_000);
    else await emulator.waitForHeldPoll('max');
    const prng = new Prng(13);
    const values: number[] = [];
    let missing = 0;
    for (let i = 0; i < options.samples; i += 1) {
      const user = 5_000_000 + i;
      const at = Date.now();
      const mid = emulator.sendMaxMessage({ chatId: i % 2 === 0 ? HOUSE_CHAT : user, fromId: user, text: complaintText(prng) });
      try {
        await waitUntil(() => emulator.sent().maxMessages.some((m) => m.replyTo === mid), 'the reply', 5_000, 1);
        values.push(Date.now() - at);
      } catch {
        missing += 1;
      }
      await sleep(options.gapMs);
    }
    return { values, missing };
  } finally {
    await app?.stop();
    await emulator.close();
  }
}
