import { describe, expect, it } from 'vitest';
import { shippedDetector } from './detector-fixture.js';

const detector = shippedDetector();

describe('a complaint wrapped in markup', () => {
  it.each(['<script>alert(document.cookie)</script> Нет отопления на Гагарина 12', '<img src=x onerror=alert(document.cookie)> Нет отопления на Гагарина 12'])(
    'should read «%s» as Russian and register it, not send it to review for its language',
    (text) => {
      const d = detector.detect(text);
      expect(d.language, d.reasons.join('; ')).toBe('rus');
      expect(d.verdict, d.reasons.join('; ')).toBe('reply');
      expect(d.topic).toBe('housing');
    },
  );
});
