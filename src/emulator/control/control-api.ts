import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FailureRateSpec, FaultSpec } from '../faults.js';
import { parseRequest, sendJson } from '../http/http-util.js';
import type { RequestFilter } from '../request-log.js';

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked by the methods they reach
type Body = any;

/**
 * What the control router needs of an emulator: one method per route, each taking the
 * route's JSON body (checked by the method itself) and answering something JSON can carry.
 * The Emulator implements it; the router never sees the rest of the class.
 */
export interface ControlTarget {
  addCommunity(opts: Body): unknown;
  addUserToken(opts: Body): unknown;
  addServiceToken(opts: Body): unknown;
  addVkUser(opts: Body): unknown;
  addPost(groupId: number, opts: Body): unknown;
  addComment(opts: Body): unknown;
  sendCommunityMessage(opts: Body): unknown;
  expireVkLongPollKeys(groupId: number): unknown;
  addBot(opts: Body): unknown;
  addChat(opts: Body): unknown;
  addTgUser(opts: Body): unknown;
  sendTelegramMessage(opts: Body): unknown;
  pressButton(opts: Body): unknown;
  addMaxBot(opts: Body): unknown;
  addMaxUser(opts: Body): unknown;
  addMaxChat(opts: Body): unknown;
  addMaxPost(opts: Body): unknown;
  sendMaxMessage(opts: Body): unknown;
  addMaxComment(opts: Body): unknown;
  pressMaxButton(opts: Body): unknown;
  maxSubscriptions(): unknown;
  sent(): unknown;
  heldPolls(api: 'telegram' | 'vk_lp' | 'max' | 'delayed'): unknown;
  requestLog(): unknown;
  resetRequestLog(): unknown;
  countRequests(filter: RequestFilter): unknown;
  injectFault(spec: FaultSpec): unknown;
  setFailureRate(spec: FailureRateSpec): unknown;
  clearFaults(): unknown;
  setRateLimit(opts: Body): unknown;
}

/**
 * `/control/<name>`: the in-process control methods of the emulator as JSON over HTTP,
 * for the demo, `otklik emulator` and scripts. POST a JSON object with the method's
 * argument; the answer is `{ok: true, result}` or HTTP 400 `{ok: false, error}`.
 * In JSON, `times: null` in injectFault means "until clearFaults".
 */
export const CONTROL_ROUTES: Readonly<Record<string, (target: ControlTarget, body: Body) => unknown>> = {
  addCommunity: (e, b) => e.addCommunity(b),
  addUserToken: (e, b) => e.addUserToken(b),
  addServiceToken: (e, b) => e.addServiceToken(b),
  addVkUser: (e, b) => e.addVkUser(b),
  addPost: (e, b) => e.addPost(b.groupId, b),
  addComment: (e, b) => e.addComment(b),
  sendCommunityMessage: (e, b) => e.sendCommunityMessage(b),
  expireVkLongPollKeys: (e, b) => e.expireVkLongPollKeys(b.groupId),
  addBot: (e, b) => e.addBot(b),
  addChat: (e, b) => e.addChat(b),
  addTgUser: (e, b) => e.addTgUser(b),
  sendTelegramMessage: (e, b) => e.sendTelegramMessage(b),
  pressButton: (e, b) => e.pressButton(b),
  addMaxBot: (e, b) => e.addMaxBot(b),
  addMaxUser: (e, b) => e.addMaxUser(b),
  addMaxChat: (e, b) => e.addMaxChat(b),
  addMaxPost: (e, b) => e.addMaxPost(b),
  sendMaxMessage: (e, b) => e.sendMaxMessage(b),
  addMaxComment: (e, b) => e.addMaxComment(b),
  pressMaxButton: (e, b) => e.pressMaxButton(b),
  maxSubscriptions: (e) => e.maxSubscriptions(),
  sent: (e) => e.sent(),
  heldPolls: (e, b) => e.heldPolls(b.api),
  requestLog: (e) => e.requestLog(),
  resetRequestLog: (e) => e.resetRequestLog(),
  countRequests: (e, b) => e.countRequests(b as RequestFilter),
  injectFault: (e, b) => e.injectFault({ ...b, ...(b.times === null ? { times: Number.POSITIVE_INFINITY } : {}) } as FaultSpec),
  setFailureRate: (e, b) => e.setFailureRate(b as FailureRateSpec),
  clearFaults: (e) => e.clearFaults(),
  setRateLimit: (e, b) => e.setRateLimit(b),
};

export async function handleControl(target: ControlTarget, req: IncomingMessage, res: ServerResponse, url: URL, name: string): Promise<void> {
  const { params, bodyError } = await parseRequest(req, url);
  if (name === '') return sendJson(res, 200, { ok: true, result: Object.keys(CONTROL_ROUTES) });
  const route = CONTROL_ROUTES[name];
  if (!route) return sendJson(res, 404, { ok: false, error: `unknown control route ${name}` });
  if (bodyError) return sendJson(res, 400, { ok: false, error: bodyError });
  try {
    const result = route(target, params);
    return sendJson(res, 200, { ok: true, result: result ?? null });
  } catch (error) {
    return sendJson(res, 400, { ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}
