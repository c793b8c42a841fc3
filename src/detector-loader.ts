// TEMPORARY (lead, local only, not committed): a crude keyword detector to exercise the demo flow
// until the real detector lands. The detector engineer's file replaces this one.
import type { Detection, Detector } from './domain/detection.js';
export function loadDetector(_configDir: string, _gazetteer: unknown[]): Detector {
  const words: [RegExp, Detection['topic']][] = [
    [/вод|батаре|отоплен|лифт|газ|ук\b/i, 'housing'],
    [/ям|дорог|перекр|разметк|светофор/i, 'roads'],
    [/мусор|контейнер/i, 'waste'],
    [/автобус|остановк/i, 'transport'],
    [/снег|фонар|двор|качел|площадк/i, 'improvement'],
  ];
  return {
    detect(text: string): Detection {
      const hit = words.find(([re]) => re.test(text));
      const complaint = Boolean(hit) && !/спасибо|молодцы|продаю|окна со скидкой/i.test(text);
      return { isAppeal: complaint, kind: complaint ? 'complaint' : 'none', score: complaint ? 0.9 : 0.1, verdict: complaint ? 'reply' : 'ignore', topic: complaint ? hit![1] : null, urgency: 'normal', language: 'rus', place: null, reasons: [] };
    },
  };
}
