/**
 * A message's id on its platform as Otklik keeps it (InboundMessage.externalId, a reply's
 * `replyTo.externalId`, the id a VK send returns), built and read only here: where the message
 * lives and its number there, joined by `_` — `<chatId>_<messageId>` in Telegram,
 * `<ownerId>_<commentId>` for a VK wall comment (the owner is minus the community's id),
 * `<groupId>_<messageId>` for a VK community message, and `<groupId>_<peerId>_c<cmid>` for a VK
 * community-chat message that has no id of its own. Unique per channel, so a message is recorded
 * once.
 */

/** `<where>_<id>`. */
export function externalId(where: number, id: number): string {
  return `${where}_${id}`;
}

/** A VK community-chat message known only by its conversation message id. */
export function vkChatExternalId(groupId: number, peerId: number, conversationMessageId: number): string {
  return `${groupId}_${peerId}_c${conversationMessageId}`;
}

/** `<where>_<id>` read back; null for any other text (a chat-message id, a MAX mid, garbage). */
export function parseExternalId(text: string): { where: number; id: number } | null {
  const match = /^(-?\d{1,16})_(\d{1,16})$/.exec(text);
  if (!match) return null;
  const where = Number(match[1]);
  const id = Number(match[2]);
  return Number.isSafeInteger(where) && Number.isSafeInteger(id) ? { where, id } : null;
}
