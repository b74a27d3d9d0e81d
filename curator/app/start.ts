/** Start the app's HTTP server from a checked configuration. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Probot } from 'probot';
import { appOctokit } from './app-octokit.js';
import { createApp, type AppDependencies } from './app.js';
import type { AppConfig } from './config.js';
import { webhookListener } from './webhook-server.js';

/** Listen for webhooks (signatures verified on the raw, size-capped body before anything is parsed). */
export async function startServer(
  config: AppConfig,
  deps: AppDependencies,
): Promise<{ server: { stop(): Promise<void> }; port: number; drain: () => Promise<void> }> {
  const app = createApp(deps);
  const probot = new Probot({
    appId: config.appId,
    privateKey: config.privateKey,
    secret: config.webhookSecret,
    logLevel: config.logLevel,
    Octokit: appOctokit(),
    ...(config.baseUrl === undefined ? {} : { baseUrl: config.baseUrl }),
  });
  await probot.load(app);
  const http: Server = createServer(
    webhookListener(probot, {
      path: config.webhookPath,
      log: { warn: (m) => probot.log.warn(m), error: (m) => probot.log.error(m) },
      busy: () => app.queue.busy,
    }),
  );
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host ?? '0.0.0.0', () => resolve());
  });
  probot.log.info(`listening on ${config.host ?? '0.0.0.0'}:${config.port}${config.webhookPath}`);
  // Heal what was missed while the app was down, then keep healing on a timer; reconcile logs what it did
  // and why it failed through the app's logger, and a failed pass waits for the next.
  const pass = () => app.reconcile().catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  if (config.reconcileMinutes > 0) {
    void pass();
    timer = setInterval(() => void pass(), config.reconcileMinutes * 60_000);
    timer.unref();
  }
  return {
    server: { stop: () => new Promise<void>((resolve) => http.close(() => resolve())) },
    port: (http.address() as AddressInfo).port,
    // Let queued runs finish before the process goes away (a curate run half-done would only be redone, but why waste it).
    drain: async () => {
      if (timer !== undefined) clearInterval(timer);
      while (app.queue.busy > 0) await new Promise((r) => setTimeout(r, 200));
    },
  };
}
