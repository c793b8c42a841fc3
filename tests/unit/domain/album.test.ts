import { describe, expect, it } from 'vitest';
import { gatherAlbums } from '../../../src/domain/album.js';
import type { InboundMessage } from '../../../src/domain/inbound-message.js';

const message = (id: number, text: string, group?: string, chatId = -100): InboundMessage => ({
  channel: 'telegram',
  externalId: `${chatId}_${id}`,
  thread: { channel: 'telegram', chatId, messageId: id },
  author: { platform: 'telegram', id: 5, name: null, isBot: false },
  text,
  attachments: [{ kind: 'photo', fileId: `f${id}`, width: 1, height: 1, size: null }],
  source: { platform: 'telegram', chatId, chatType: 'supergroup', title: null, username: null },
  isPrivate: false,
  createdAt: id,
  ...(group ? { mediaGroupId: group } : {}),
});

describe('gathering Telegram albums', () => {
  it('should put the item with the caption first, carrying every photo of the album', () => {
    const out = gatherAlbums([message(1, 'раньше'), message(2, '', 'a'), message(3, 'Яма у школы', 'a'), message(4, '', 'a'), message(5, 'потом')]);
    expect(out.map((m) => m.externalId)).toEqual(['-100_1', '-100_3', '-100_2', '-100_4', '-100_5']);
    expect(out[1]!.attachments.map((a) => ('fileId' in a ? a.fileId : ''))).toEqual(['f3', 'f2', 'f4']);
    expect(out[2]!.attachments).toHaveLength(1);
  });

  it("should keep items with words of their own, other chats' albums and lone items as they are", () => {
    const batch = [message(1, 'первое', 'a'), message(2, 'второе', 'a'), message(3, '', 'a', -200), message(4, '', 'b')];
    const out = gatherAlbums(batch);
    expect(out.map((m) => m.externalId)).toEqual(['-100_1', '-100_2', '-200_3', '-100_4']);
    expect(out[0]!.attachments).toHaveLength(1);
  });
});
