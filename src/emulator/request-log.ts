/** Which endpoint family served a request. */
export type RequestApi = 'vk' | 'vk_lp' | 'telegram' | 'max' | 'max_webhook' | 'control';

/** One served HTTP request (or one call inside a VK `execute`, with `insideExecute`). */
export interface RequestLogEntry {
  api: RequestApi;
  method: string;
  /** Emulator clock (ms) when the request arrived. */
  time: number;
  outcome: 'ok' | 'error' | 'fault';
  /** VK error_code, Telegram error_code or the HTTP status (MAX, webhook pushes) when outcome is not 'ok'. */
  errorCode?: number;
  /** Who called (or, for a webhook push, whose update it was): 'group:<id>', 'user:<id>', 'service', 'bot:<id>' or 'unknown'; never the token. */
  caller?: string;
  insideExecute?: boolean;
}

export type RequestFilter = Partial<Pick<RequestLogEntry, 'api' | 'method' | 'outcome' | 'caller' | 'insideExecute'>>;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  reset(): void {
    this.entries = [];
  }

  count(filter: RequestFilter = {}): number {
    return this.entries.filter((e) => (Object.keys(filter) as (keyof RequestFilter)[]).every((key) => filter[key] === undefined || e[key] === filter[key]))
      .length;
  }
}
