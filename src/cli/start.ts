import { App } from '../app.js';
import { loadConfig, secretValues } from '../config.js';
import { createLogger } from '../logger.js';

/** How long a shutdown may take before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 15_000;

/** `otklik start`: load config, start the bot, stop it cleanly on SIGINT/SIGTERM. */
export async function runBot(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logging.level, pretty: config.logging.pretty, secrets: secretValues(config) });
  const app = await App.create({ config, logger });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing work in flight');
    const timer = setTimeout(() => {
      logger.error({ graceMs: SHUTDOWN_GRACE_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    timer.unref();
    app.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  await app.start();
  logger.info({ communities: config.vk.communities.length, chats: config.telegram.chats.length }, 'otklik is running');
}
