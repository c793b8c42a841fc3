import { describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES } from '../../../src/domain/incident.js';
import { allowedActions, INCIDENT_ACTIONS, planAction, TRANSITIONS } from '../../../src/domain/incident-status.js';

describe('incident transition table', () => {
  it('should follow new → accepted → answered → closed', () => {
    expect(planAction('new', 'accept')).toEqual({ ok: true, from: 'new', to: 'accepted' });
    expect(planAction('accepted', 'answer')).toEqual({ ok: true, from: 'accepted', to: 'answered' });
    expect(planAction('answered', 'close')).toEqual({ ok: true, from: 'answered', to: 'closed' });
  });

  it('should go needs_info ↔ accepted and allow rejection only before an answer', () => {
    expect(planAction('accepted', 'ask')).toMatchObject({ ok: true, to: 'needs_info' });
    expect(planAction('needs_info', 'accept')).toMatchObject({ ok: true, to: 'accepted' });
    expect(planAction('new', 'reject')).toMatchObject({ ok: true, to: 'rejected' });
    expect(planAction('answered', 'reject')).toMatchObject({ ok: false });
  });

  it('should reopen only after an answer, a close or a rejection', () => {
    for (const status of INCIDENT_STATUSES) {
      expect(planAction(status, 'reopen').ok, status).toBe(['answered', 'closed', 'rejected'].includes(status));
    }
  });

  it('should refuse an illegal action with the list of allowed ones', () => {
    expect(planAction('closed', 'answer')).toEqual({ ok: false, from: 'closed', allowed: ['reopen', 'note'] });
    expect(planAction('new', 'close')).toEqual({ ok: false, from: 'new', allowed: allowedActions('new') });
    expect(allowedActions('new')).not.toContain('close');
  });

  it('should keep the status for interim, assign and note, and allow a note in every status', () => {
    expect(TRANSITIONS.interim.to).toBeNull();
    expect(TRANSITIONS.assign.to).toBeNull();
    for (const status of INCIDENT_STATUSES) expect(planAction(status, 'note').ok).toBe(true);
  });

  it('should lead only to known statuses and leave no status without a way on', () => {
    for (const action of INCIDENT_ACTIONS) {
      const to = TRANSITIONS[action].to;
      if (to !== null) expect(INCIDENT_STATUSES).toContain(to);
    }
    for (const status of INCIDENT_STATUSES) expect(allowedActions(status).filter((a) => a !== 'note').length, status).toBeGreaterThan(0);
  });
});
