/**
 * New problem or follow-up: whether a citizen's later message in a conversation where they
 * have an open incident belongs to that incident. Pure; ingest gathers the facts (the author's
 * open incidents in the conversation, what the message replies to, the detection) and carries
 * the decision out.
 *
 * A message belongs to an incident when it is tied to it — a reply to the bot's acknowledgement
 * (or a later status message) or to the citizen's own message on it, or a comment in the same
 * VK comment thread — or when, within the window, its text is about the same problem. A
 * different problem is judged on its own (its own incident, review or nothing, as for anyone);
 * a doubtful case goes to the moderators; nothing is attached silently to an incident it is not
 * about.
 */
import type { Detection, PlaceMatch, TopicId } from './detection.js';
import { sameProblem } from './same-problem.js';

/** What ingest knows about one of the author's open incidents in this conversation. */
export interface ThreadIncident {
  id: number;
  topic: TopicId;
  /** The incident's problem id (the detector's, or a moderator's correction), when it has one. */
  problem: string | null;
  text: string;
  place: PlaceMatch | null;
  /** Epoch ms of the citizen's latest message on it (the registered one or an addition): the window counts from here. */
  lastActivityAt: number;
  /** The bot's messages about it in this conversation, as InboundMessage.replyTo.externalId names them. */
  botMessageIds: readonly string[];
  /** The citizen's own messages on it (the registered one and its additions), as replyTo.externalId names them. */
  ownMessageIds: readonly string[];
  /** VK: the comment threads (top-level comment ids) its comments sit in. */
  commentThreads: readonly number[];
  /** A moderator asked the citizen for details (status needs_info): their next words are the answer. */
  awaitingAnswer: boolean;
}

/** The facts of the new message threading needs. */
export interface ThreadMessage {
  text: string;
  createdAt: number;
  /** replyTo.externalId, when the message replies to something. */
  replyToId: string | null;
  /** VK: the top-level comment of the comment thread it was written in, when it is a reply inside a thread. */
  commentThread: number | null;
  /**
   * private: a one-to-one dialog with the bot; comments: the comments under one VK post; chat: a
   * group chat, where talk about anything flows past.
   */
  place: 'private' | 'comments' | 'chat';
  /** Photos, documents, a location: something to add even without words. */
  hasAttachments: boolean;
}

/** Why a message was tied to an incident. */
export type ThreadLink = 'reply_to_bot' | 'reply_to_own' | 'comment_thread' | 'same_problem' | 'dialog_attachment' | 'answer_to_question';

export type ThreadDecision =
  /** An addition to the incident: recorded on it, shown to moderators. */
  | { kind: 'followup'; incidentId: number; link: ThreadLink }
  /**
   * Doubtful: moderators see it as «Проверить», naming the incident it may belong to.
   * 'other_problem': tied to the incident but a complaint of its own about something else of the same topic;
   * 'maybe_addition': not an appeal by itself, yet within the window it carries the same problem's words, a place or a photo.
   */
  | { kind: 'review'; incidentId: number; reason: 'other_problem' | 'maybe_addition' }
  /** Not about any open incident: judged on its own, as anyone's message is. */
  | { kind: 'separate' };

export interface ThreadingInput {
  message: ThreadMessage;
  detection: Pick<Detection, 'verdict' | 'topic' | 'place'> & { problem?: string | null; statesProblem?: boolean };
  /** The author's open incidents in this conversation, any order. */
  open: readonly ThreadIncident[];
  /** threading.windowMinutes in ms: how long after the citizen's last message on an incident plain text may still be about it. */
  windowMs: number;
}

/** The incident the message is structurally tied to: a reply to the bot or to the citizen's own message, or the same VK comment thread. */
function tiedIncident(message: ThreadMessage, open: readonly ThreadIncident[]): { incident: ThreadIncident; link: ThreadLink } | null {
  const { replyToId, commentThread } = message;
  for (const incident of newestFirst(open)) {
    if (replyToId !== null && incident.botMessageIds.includes(replyToId)) return { incident, link: 'reply_to_bot' };
    if (replyToId !== null && incident.ownMessageIds.includes(replyToId)) return { incident, link: 'reply_to_own' };
  }
  for (const incident of newestFirst(open)) {
    if (commentThread !== null && incident.commentThreads.includes(commentThread)) return { incident, link: 'comment_thread' };
  }
  return null;
}

function hasWords(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

function newestFirst(open: readonly ThreadIncident[]): ThreadIncident[] {
  return [...open].sort((a, b) => b.lastActivityAt - a.lastActivityAt || b.id - a.id);
}

/** A confident appeal of another topic than the incident's: another problem, whatever its words. */
function otherTopic(incident: ThreadIncident, detection: ThreadingInput['detection']): boolean {
  return detection.verdict !== 'ignore' && detection.topic !== null && detection.topic !== incident.topic;
}

/** The texts share a word naming the problem (same-problem.ts). */
function sharedWords(incident: ThreadIncident, message: ThreadMessage, detection: ThreadingInput['detection']): boolean {
  return sameProblem({ text: incident.text, place: incident.place }, { text: message.text, place: detection.place });
}

/**
 * Is the message about the incident's problem? Another topic: no. The same problem: yes.
 * Otherwise the texts must share a word naming the problem: a detected problem is a guess among
 * similar ones («ржавая вода» and «вода как чай» may come out as two), so different problems of
 * one topic do not part texts that name the same thing.
 */
function aboutSameProblem(incident: ThreadIncident, message: ThreadMessage, detection: ThreadingInput['detection']): boolean {
  if (otherTopic(incident, detection)) return false;
  const problem = detection.problem ?? null;
  if (problem !== null && problem === incident.problem) return true;
  return sharedWords(incident, message, detection);
}

/**
 * A confident complaint about something the incident is clearly not about: another topic, or
 * another known problem with no word in common («кабина застряла» under a burst pipe).
 */
function clearlyOtherProblem(incident: ThreadIncident, message: ThreadMessage, detection: ThreadingInput['detection']): boolean {
  if (otherTopic(incident, detection)) return true;
  const problem = detection.problem ?? null;
  return problem !== null && incident.problem !== null && problem !== incident.problem && !sharedWords(incident, message, detection);
}

/** Decide whether the message is an addition to one of the author's open incidents, doubtful, or a message of its own. */
export function decideThread(input: ThreadingInput): ThreadDecision {
  const { message, detection, open, windowMs } = input;
  if (open.length === 0) return { kind: 'separate' };

  const tied = tiedIncident(message, open);
  if (tied) {
    const { incident, link } = tied;
    // Details, a photo, «когда уже?»: a reply to the incident that is not a complaint of its own belongs to it — and so
    // does one that reads like an appeal yet states no problem («Уточняю: подъезд 2, квартира 45, заявку в УК оставляла»).
    if (detection.verdict !== 'reply' || detection.statesProblem === false) return { kind: 'followup', incidentId: incident.id, link };
    if (clearlyOtherProblem(incident, message, detection)) return { kind: 'separate' };
    if (aboutSameProblem(incident, message, detection)) return { kind: 'followup', incidentId: incident.id, link };
    return { kind: 'review', incidentId: incident.id, reason: 'other_problem' };
  }

  // A moderator asked for details: what the citizen writes next answers it, unless it is plainly another complaint.
  const asking = newestFirst(open).find((incident) => incident.awaitingAnswer);
  if (asking && !(detection.verdict === 'reply' && clearlyOtherProblem(asking, message, detection))) {
    // In a group chat, words that are not an appeal may be chatter: only a reply (above) or the window's rules tie them.
    const answers = detection.verdict !== 'ignore' || (message.place !== 'chat' && (hasWords(message.text) || message.hasAttachments));
    if (answers) return { kind: 'followup', incidentId: asking.id, link: 'answer_to_question' };
  }

  // Plain text in the conversation: only within the window, and only about the same problem.
  const recent = newestFirst(open).filter((incident) => message.createdAt - incident.lastActivityAt <= windowMs);
  const same = recent.find((incident) => aboutSameProblem(incident, message, detection));
  if (detection.verdict !== 'ignore') return same ? { kind: 'followup', incidentId: same.id, link: 'same_problem' } : { kind: 'separate' };
  // Not an appeal by itself. In a dialog with the bot, words about the same problem are the citizen going on about it;
  // in a public place they may be chatter, and a place or a photo alone says nothing sure: the moderators decide.
  if (same && message.place === 'private') return { kind: 'followup', incidentId: same.id, link: 'same_problem' };
  // A photo or a location sent to the bot right after the one complaint it may show.
  if (message.place === 'private' && message.hasAttachments && !hasWords(message.text) && recent.length === 1) {
    return { kind: 'followup', incidentId: recent[0]!.id, link: 'dialog_attachment' };
  }
  const maybe = same ?? (message.hasAttachments || detection.place !== null ? recent[0] : undefined);
  return maybe ? { kind: 'review', incidentId: maybe.id, reason: 'maybe_addition' } : { kind: 'separate' };
}
