import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/domain/incident-classification.js';
import type { ProblemId } from '../../../src/domain/problem.js';
import { testConfig } from '../../helpers/index.js';

const { problems } = testConfig();
const detected = (topic: 'housing' | 'health' | null, problem: string | null, urgency: 'normal' | 'emergency' = 'normal') => ({
  topic,
  problem: problem as ProblemId | null,
  urgency,
});

describe('what an incident is about', () => {
  it('should keep a problem of the taxonomy under the topic, and drop any other', () => {
    expect(classify(detected('housing', 'lift'), problems)).toEqual({ topic: 'housing', problem: 'lift', urgency: 'normal' });
    expect(classify(detected('health', 'lift'), problems).problem).toBeNull();
    expect(classify(detected('housing', 'elevator'), problems).problem).toBeNull();
    expect(classify(detected(null, null), problems)).toEqual({ topic: 'other', problem: null, urgency: 'normal' });
  });

  it('should make it urgent when the words say so or the problem is an emergency', () => {
    expect(classify(detected('health', 'ambulance'), problems).urgency).toBe('emergency');
    expect(classify(detected('housing', 'lift', 'emergency'), problems).urgency).toBe('emergency');
    expect(classify(detected('health', 'doctor_appointment'), problems).urgency).toBe('normal');
  });
});
