/**
 * Which row of one destination goes first (the outbox's `priority`). It matters where a lane
 * cannot keep up: the moderators' Telegram chat takes 20 messages a minute, so during a burst a
 * moderator's answer, the burst summary and the alerts must not wait behind hundreds of cards.
 * Rows of one priority keep their order.
 */
export const OUTBOX_PRIORITY = {
  /** Cards, notes under cards, everything else. */
  normal: 0,
  /** The card of an emergency. */
  emergency: 1,
  /** Deadline reminders, escalations, risk alerts, stopped channels. */
  alert: 2,
  /** A burst summary and its edits. */
  summary: 3,
  /** A moderator is waiting for it: a command's reply, a prompt after a press, a card opened from a summary. */
  moderatorWaits: 4,
} as const;

/**
 * The least priority that may use the slots a slow lane keeps in reserve: ordinary cards cannot
 * take the last of a group chat's minute, so a summary or a reply goes out at once.
 */
export const RESERVED_FOR = OUTBOX_PRIORITY.alert;
