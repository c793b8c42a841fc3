import type { API } from 'vk-io';
import type { ApiError, HttpError } from '../../errors.js';
import { MalformedResponseError, wrapVkError } from './vk-errors.js';

/** One VK API call to make, alone or folded into an `execute`. */
export interface VkCall {
  method: string;
  params: Record<string, string | number | boolean>;
}

export type VkCallResult = { ok: true; value: unknown } | { ok: false; error: ApiError | HttpError };

/** VK's limit of API calls inside one `execute`. */
export const EXECUTE_MAX_CALLS = 25;

/** `return [API.wall.get({"owner_id":-1,"count":20}), …];`: the VKScript subset every VK server runs. */
export function executeCode(calls: readonly VkCall[]): string {
  return `return [${calls.map((c) => `API.${c.method}(${JSON.stringify(c.params)})`).join(',')}];`;
}

/**
 * Runs calls with one token, folding up to 25 into each `execute` when the token may use it
 * (user and community tokens; a service token may not). Never throws: each call gets its own
 * result, so one failed call (or one failed execute) never hides the others' answers.
 * `requests` counts HTTP requests made, the number VK's quota is about.
 */
export class VkBatcher {
  requests = 0;

  constructor(
    private readonly api: API,
    private readonly useExecute: boolean,
    private readonly secrets: readonly string[] = [],
  ) {}

  async run(calls: readonly VkCall[]): Promise<VkCallResult[]> {
    if (!this.useExecute) return Promise.all(calls.map((call) => this.single(call)));
    const chunks: VkCall[][] = [];
    for (let i = 0; i < calls.length; i += EXECUTE_MAX_CALLS) chunks.push(calls.slice(i, i + EXECUTE_MAX_CALLS));
    const results = await Promise.all(chunks.map((chunk) => (chunk.length === 1 ? this.single(chunk[0]!).then((r) => [r]) : this.folded(chunk))));
    return results.flat();
  }

  private async single(call: VkCall): Promise<VkCallResult> {
    this.requests += 1;
    try {
      return { ok: true, value: await this.api.call(call.method, call.params) };
    } catch (error) {
      return { ok: false, error: wrapVkError(call.method, error, this.secrets) };
    }
  }

  private async folded(chunk: readonly VkCall[]): Promise<VkCallResult[]> {
    this.requests += 1;
    let answer: { response?: unknown; errors?: unknown };
    try {
      answer = (await this.api.execute({ code: executeCode(chunk) })) as { response?: unknown; errors?: unknown };
    } catch (error) {
      const wrapped = wrapVkError('execute', error, this.secrets);
      return chunk.map(() => ({ ok: false, error: wrapped }));
    }
    const response = answer?.response;
    if (!Array.isArray(response) || response.length !== chunk.length) {
      const wrapped = wrapVkError('execute', new MalformedResponseError(`execute answered ${describe(response)} for ${chunk.length} calls`));
      return chunk.map(() => ({ ok: false, error: wrapped }));
    }
    // A failed call is `false` in its place; execute_errors lists the failures in call order.
    const errors = Array.isArray(answer.errors) ? [...(answer.errors as unknown[])] : [];
    return response.map((value, i): VkCallResult => {
      if (value !== false) return { ok: true, value };
      const method = chunk[i]!.method;
      const index = errors.findIndex((e) => (e as { method?: unknown } | null)?.method === method);
      const error = index >= 0 ? errors.splice(index, 1)[0] : undefined;
      return {
        ok: false,
        error: wrapVkError(method, error ?? new MalformedResponseError(`${method} inside execute answered false without an error`), this.secrets),
      };
    });
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value;
}
