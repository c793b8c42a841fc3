import { afterAll, beforeAll } from 'vitest';
import { World } from '../moderation/world.js';

/** One World (the bot against the emulator) for the test file: started before its tests, stopped after. Call the result inside a test. */
export function startedWorld(): () => World {
  let world: World | undefined;
  beforeAll(async () => {
    world = await World.start();
  }, 30_000);
  afterAll(async () => {
    await world?.stop();
  });
  return () => world!;
}
