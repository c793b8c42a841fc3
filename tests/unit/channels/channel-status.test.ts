import { describe, expect, it } from 'vitest';
import { ChannelStatus } from '../../../src/channels/channel-status.js';
import { ManualClock } from '../../helpers/index.js';

describe('ChannelStatus', () => {
  it('should move a channel through starting, running, degraded and stopped', () => {
    const clock = new ManualClock();
    const status = new ChannelStatus(clock.now);
    status.starting('telegram:updates');
    expect(status.get('telegram:updates')).toMatchObject({ state: 'starting', lastSuccessAt: null });
    clock.advance(1000);
    status.success('telegram:updates');
    expect(status.get('telegram:updates')).toMatchObject({ state: 'running', lastSuccessAt: clock.current, lastError: null });
    status.failure('telegram:updates', 'network: ECONNRESET');
    expect(status.get('telegram:updates')).toMatchObject({ state: 'degraded', lastError: 'network: ECONNRESET' });
    expect(status.healthy()).toBe(false);
    status.success('telegram:updates');
    expect(status.healthy()).toBe(true);
    status.stopped('telegram:updates', 'telegram getUpdates failed with 401: Unauthorized');
    expect(status.list()).toEqual([expect.objectContaining({ channel: 'telegram:updates', state: 'stopped' })]);
    expect(status.healthy()).toBe(false);
  });

  it('should count a clean shutdown as healthy', () => {
    const status = new ChannelStatus();
    status.success('vk:wall');
    status.stopped('vk:wall');
    expect(status.healthy()).toBe(true);
  });
});
