/** `npm start`: check the configuration, then serve webhooks. A bad configuration stops here with the variable and the fix. */
import { formatError, GranaryError } from '../../core/errors.js';
import { loadAppConfig } from './config.js';

async function main(): Promise<number> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (error) {
    process.stderr.write(`granary app: cannot start\n${formatError(error)}\n`);
    return error instanceof GranaryError ? error.exitCode : 2;
  }
  // Loaded only after the configuration is known to be good.
  const { startServer } = await import('./start.js');
  const { productionDependencies } = await import('./production.js');
  const { server, drain } = await startServer(config, productionDependencies(config));
  const stop = async () => {
    await server.stop();
    await drain();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  return 0;
}

const code = await main();
if (code !== 0) process.exitCode = code;
