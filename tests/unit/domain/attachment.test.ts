import { describe, expect, it } from 'vitest';
import { attachmentSummary, geoPoint, hasEvidence, photosOf, readMedia } from '../../../src/domain/attachment.js';

describe('attachment metadata', () => {
  it('should read stored media back and leave out whatever is not an attachment', () => {
    const media = readMedia({
      attachments: [
        { kind: 'photo', fileId: 'AgAC1', width: 1280, height: 960, size: 1000 },
        { kind: 'photo', url: 'javascript:alert(1)', width: 1, height: 1 },
        { kind: 'document', url: 'https://vk.com/doc1_2', name: 'акт.pdf', mime: 'application/pdf', size: -5 },
        { kind: 'voice', duration: 3 },
        { kind: 'other', type: '' },
        { kind: 'weird' },
        'photo',
      ],
      location: { lat: 55.7, lon: 37.6 },
    });
    expect(media).toEqual({
      attachments: [
        { kind: 'photo', fileId: 'AgAC1', width: 1280, height: 960, size: 1000 },
        { kind: 'document', url: 'https://vk.com/doc1_2', name: 'акт.pdf', mime: 'application/pdf', size: null },
        { kind: 'voice', mime: null, size: null, duration: 3 },
      ],
      location: { lat: 55.7, lon: 37.6 },
    });
    expect(readMedia(null)).toEqual({ attachments: [], location: null });
    expect(readMedia({ attachments: 'x', location: { lat: 95, lon: 0 } })).toEqual({ attachments: [], location: null });
  });

  it('should summarise kinds for the places that show only them, the location last', () => {
    const { attachments } = readMedia({ attachments: [{ kind: 'photo', fileId: 'a' }, { kind: 'other', type: 'poll' }, { kind: 'sticker' }] });
    expect(attachmentSummary(attachments, { lat: 1, lon: 2 })).toEqual(['photo', 'poll', 'sticker', 'location']);
    expect(photosOf(attachments)).toHaveLength(1);
  });

  it('should count photos, documents and a location as evidence, not stickers or polls', () => {
    expect(
      hasEvidence({
        attachments: [
          { kind: 'sticker', emoji: '👍' },
          { kind: 'other', type: 'poll' },
        ],
      }),
    ).toBe(false);
    expect(hasEvidence({ attachments: [], location: { lat: 1, lon: 1 } })).toBe(true);
    expect(hasEvidence({ attachments: [{ kind: 'voice', mime: null, size: null, duration: 1 }] })).toBe(true);
  });

  it('should accept only points on the globe', () => {
    expect(geoPoint('55.75', '37.6')).toEqual({ lat: 55.75, lon: 37.6 });
    for (const [lat, lon] of [
      [91, 0],
      [0, 181],
      [Number.NaN, 0],
      [null, 1],
      ['', ''],
    ])
      expect(geoPoint(lat, lon)).toBeNull();
  });
});
