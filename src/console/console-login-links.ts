/**
 * The web console's one-time sign-in links, issued for `/login` from whatever platform the
 * moderator asked on. Built before the chat commands (which need it) and the console server
 * (which tells it the address it listens on), so neither waits for the other.
 */
import type { Config, ModeratorConfig } from '../config.js';
import { authorKey } from '../domain/inbound-message.js';
import type { LoginLinks } from '../moderation/command-feature.js';
import type { ConsoleSessionStore } from '../store/console-session-store.js';

export class ConsoleLoginLinks implements LoginLinks {
  private base: string;

  constructor(private readonly deps: { config: Config; clock: () => number; sessions: ConsoleSessionStore }) {
    const { console } = deps.config;
    this.base = console.publicUrl?.replace(/\/+$/, '') ?? `http://${console.host}:${console.port}`;
  }

  /** Where links point: `console.publicUrl`, else the address the console listens on. */
  get baseUrl(): string {
    return this.base;
  }

  /** The console bound an address (port 0 picks one): links point there unless a public URL is set. */
  listeningAt(host: string, port: number): void {
    if (this.deps.config.console.publicUrl === null) this.base = `http://${host}:${port}`;
  }

  issue(moderator: ModeratorConfig): { url: string; minutes: number } {
    const minutes = this.deps.config.console.loginLinkMinutes;
    const token = this.deps.sessions.issueLink(authorKey(moderator), this.deps.clock(), minutes * 60_000);
    return { url: `${this.base}/login?token=${token}`, minutes };
  }
}
