/**
 * The bot with its web console on, against the emulator: a moderator asks for a sign-in link
 * with /login in a private chat, as a person would, and an HTTP client with a cookie jar uses it.
 */
import { World } from '../moderation/world.js';

/** A clock the tests move forward (sign-in links and sessions expire); it runs with real time otherwise. */
export class ShiftedClock {
  offset = 0;
  now = (): number => Date.now() + this.offset;
  advance(ms: number): void {
    this.offset += ms;
  }
}

export async function startConsoleWorld(
  local: Record<string, unknown> = {},
  clock = new ShiftedClock(),
): Promise<{ world: World; clock: ShiftedClock; base: string }> {
  const world = await World.start({
    local: { console: { enabled: true, port: 0, pageSize: 10, ...((local.console as object) ?? {}) }, ...omit(local, 'console') },
    clock: clock.now,
  });
  const address = world.app.consoleAddress!;
  return { world, clock, base: `http://${address.host}:${address.port}` };
}

function omit(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _dropped, ...rest } = record;
  return rest;
}

/** The link the bot sent in reply to /login in the moderator's private Telegram chat. */
export async function telegramLoginLink(world: World, moderatorId: number): Promise<string> {
  const id = await world.telegram(moderatorId, moderatorId, '/login');
  const reply = world.emulator.sent().telegramMessages.find((m) => m.chatId === moderatorId && m.replyTo === id);
  if (!reply) throw new Error('no reply to /login');
  const link = /(https?:\/\/\S+\/login\?token=[A-Za-z0-9_-]+)/.exec(reply.text)?.[1];
  if (!link) throw new Error(`no link in «${reply.text}»`);
  return link;
}

/** A browser-like client: keeps the session cookie, reads the CSRF token from pages. */
export class ConsoleClient {
  cookie = '';
  csrf = '';

  constructor(readonly base: string) {}

  /** Open the link, press «Войти» (POST the token), keep the cookie. Returns the POST's response. */
  async signIn(link: string): Promise<Response> {
    const page = await fetch(link);
    const token = /name="token" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const response = await this.post('/login', { token }, { csrf: false });
    const cookie = response.headers.get('set-cookie');
    if (cookie) this.cookie = cookie.split(';')[0]!;
    if (response.status === 303) await this.page('/incidents');
    return response;
  }

  async get(path: string): Promise<Response> {
    return fetch(`${this.base}${path}`, { headers: this.cookie ? { cookie: this.cookie } : {}, redirect: 'manual' });
  }

  /** GET a page, remember its CSRF token, return status and HTML. */
  async page(path: string): Promise<{ status: number; html: string }> {
    const response = await this.get(path);
    const html = await response.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (csrf) this.csrf = csrf;
    return { status: response.status, html };
  }

  /** POST a form; with the page's CSRF token unless told otherwise. */
  async post(path: string, fields: Record<string, string | string[]>, options: { csrf?: boolean | string } = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
    if (options.csrf !== false) body.set('_csrf', typeof options.csrf === 'string' ? options.csrf : this.csrf);
    return fetch(`${this.base}${path}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(this.cookie ? { cookie: this.cookie } : {}) },
      redirect: 'manual',
    });
  }
}

/** Signed in as a Telegram moderator through /login. */
export async function signedIn(world: World, base: string, moderatorId: number): Promise<ConsoleClient> {
  const client = new ConsoleClient(base);
  const response = await client.signIn(await telegramLoginLink(world, moderatorId));
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status}`);
  return client;
}
