import { PacedLane, type PacedLaneOptions } from './paced-lane.js';

/**
 * One PacedLane per key (a chat, a token), all with the same options. A lane with nothing left to
 * pace is forgotten when lanes are next looked up, so a year of private chats does not pile up.
 */
export class PacedLaneGroup {
  private readonly lanes = new Map<string, PacedLane>();
  private lookups = 0;

  constructor(private readonly options: PacedLaneOptions) {}

  key(key: string): PacedLane {
    this.lookups += 1;
    // A sweep costs one pass over the lanes; every 1,000 lookups keeps that negligible.
    if (this.lookups % 1000 === 0) this.sweep();
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new PacedLane(this.options);
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Lanes kept now (for tests). */
  get size(): number {
    return this.lanes.size;
  }

  /** Stop every lane: waiting jobs reject, running ones finish. */
  async stop(): Promise<void> {
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop()));
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, lane] of this.lanes) if (lane.isIdle(now)) this.lanes.delete(key);
  }
}
