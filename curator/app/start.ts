/** Start the app's HTTP server from a checked configuration. */
import { Probot, Server } from 'probot';
import { appOctokit } from './app-octokit.js';
import { createApp, type AppDependencies } from './app.js';
import type { AppConfig } from './config.js';

/** Listen for webhooks; signatures are verified by Probot's middleware (@octokit/webhooks) on the raw body. */
export async function startServer(
  config: AppConfig,
  deps: AppDependencies,
): Promise<{ server: Server; drain: () => Promise<void> }> {
  const app = createApp(deps);
  const server = new Server({
    Probot: Probot.defaults({
      appId: config.appId,
      privateKey: config.privateKey,
      secret: config.webhookSecret,
      logLevel: config.logLevel,
      Octokit: appOctokit(),
      ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
    }),
    port: config.port,
    ...(config.host === undefined ? {} : { host: config.host }),
    webhookPath: config.webhookPath,
    enableStaticFiles: false,
  });
  await server.load(app);
  await server.start();
  // Heal what was missed while the app was down, then keep healing on a timer (errors are logged, never fatal).
  // reconcile logs what it did and why it failed through the app's logger; a failed pass waits for the next.
  const pass = () => app.reconcile().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  if (config.reconcileMinutes > 0) {
    void pass();
    timer = setInterval(() => void pass(), config.reconcileMinutes * 60_000);
    timer.unref();
  }
  return {
    server,
    // Let queued runs finish before the process goes away (a curate run half-done would only be redone, but why waste it).
    drain: async () => {
      if (timer !== undefined) clearInterval(timer);
      while (app.queue.busy > 0) await new Promise((r) => setTimeout(r, 200));
    },
  };
}
