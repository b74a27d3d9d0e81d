/** The app's configuration from the environment, checked before anything starts: each mistake names its variable and the fix. */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { loadPrivateKey } from '../../core/signing.js';

/** Where the app listens for deliveries unless WEBHOOK_PATH says otherwise (what app.yml registers). */
export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';

export interface AppConfig {
  appId: number;
  /** PEM of the app's RSA private key. */
  privateKey: string;
  webhookSecret: string;
  webhookPath: string;
  port: number;
  host: string | undefined;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** GitHub Enterprise Server API root, e.g. https://github.example.com/api/v3. */
  baseUrl: string | undefined;
  /** PEM of the Ed25519 key that signs the index snapshot. */
  signingKeyPem: string | undefined;
  /** Where registry clones go while curating. */
  workDir: string | undefined;
  /** The registries this app serves, `owner/repo` lowercased: events from any other repository are ignored. */
  repositories: ReadonlySet<string>;
  /** Minutes between reconciliation passes (also one at start); 0: none. */
  reconcileMinutes: number;
}

export interface ConfigIo {
  readFile: (path: string) => string;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const GUIDE = 'see docs/operator-guide.md, "Run the app"';

/** Read and check the configuration; throws UsageError naming the variable at fault. */
export function loadAppConfig(
  env: NodeJS.ProcessEnv,
  io: ConfigIo = { readFile: (p) => readFileSync(p, 'utf8') },
): AppConfig {
  const appId = readAppId(env['APP_ID']);
  const privateKey = readPrivateKey(env, io);
  const webhookSecret = env['WEBHOOK_SECRET'];
  if (webhookSecret === undefined || webhookSecret.trim() === '') {
    throw new UsageError('WEBHOOK_SECRET is not set: webhook signatures cannot be verified without it', {
      where: 'WEBHOOK_SECRET',
      hint: `set WEBHOOK_SECRET to the "Webhook secret" entered in the app's settings on GitHub (generate one with \`openssl rand -hex 32\` and save it in both places); ${GUIDE}`,
    });
  }
  const logLevel = (env['LOG_LEVEL'] ?? 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new UsageError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(env['LOG_LEVEL'])}`, {
      where: 'LOG_LEVEL',
      hint: 'unset it for the default (info)',
    });
  }
  return {
    appId,
    privateKey,
    webhookSecret,
    webhookPath: readWebhookPath(env['WEBHOOK_PATH']),
    port: readPort(env['PORT']),
    host: env['HOST'] || undefined,
    logLevel,
    baseUrl: readBaseUrl(env['GHE_HOST'], env['GHE_PROTOCOL']),
    signingKeyPem: readSigningKey(env, io),
    workDir: env['GRANARY_WORK_DIR'] || undefined,
    repositories: readRepositories(env['GRANARY_REPOSITORIES']),
    reconcileMinutes: readReconcileMinutes(env['GRANARY_RECONCILE_MINUTES']),
  };
}

/**
 * GRANARY_RECONCILE_MINUTES: how often to heal what events missed and re-sign the index's timestamp
 * (default 60; 0 turns it off). At most 360: the timestamp is re-signed once half of its day is gone,
 * and a pass must come before the other half is.
 */
export const MAX_RECONCILE_MINUTES = 360;

function readReconcileMinutes(value: string | undefined): number {
  if (value === undefined || value === '') return 60;
  const minutes = Number(value);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_RECONCILE_MINUTES)
    throw new UsageError(
      `GRANARY_RECONCILE_MINUTES must be whole minutes from 0 to ${MAX_RECONCILE_MINUTES}, got ${JSON.stringify(value.slice(0, 40))}`,
      {
        where: 'GRANARY_RECONCILE_MINUTES',
        hint: `unset it for the default (60); at most ${MAX_RECONCILE_MINUTES}, so that the index's one-day timestamp is re-signed in time; 0 to reconcile never (then run \`granary index refresh\` on a schedule)`,
      },
    );
  return minutes;
}

const REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;

/** GRANARY_REPOSITORIES: the registries the app acts on, `owner/repo`, separated by commas or spaces. */
function readRepositories(value: string | undefined): ReadonlySet<string> {
  const names = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const hint = `list the registry repositories this app serves, e.g. GRANARY_REPOSITORIES=acme/registry: an app installed elsewhere must not sign and publish for strangers; ${GUIDE}`;
  if (names.length === 0)
    throw new UsageError('GRANARY_REPOSITORIES is not set: the app would act on any repository it is installed on', {
      where: 'GRANARY_REPOSITORIES',
      hint,
    });
  const bad = names.find((n) => !REPOSITORY.test(n));
  if (bad !== undefined)
    throw new UsageError(`GRANARY_REPOSITORIES: ${JSON.stringify(bad.slice(0, 120))} is not owner/repo`, {
      where: 'GRANARY_REPOSITORIES',
      hint,
    });
  return new Set(names.map((n) => n.toLowerCase()));
}

function readAppId(value: string | undefined): number {
  if (value === undefined || value.trim() === '') {
    throw new UsageError('APP_ID is not set', {
      where: 'APP_ID',
      hint: `set APP_ID to the numeric "App ID" shown on the app's settings page (GitHub → Settings → Developer settings → GitHub Apps → your app); ${GUIDE}`,
    });
  }
  if (!/^[1-9][0-9]{0,15}$/.test(value.trim())) {
    throw new UsageError(`APP_ID must be a number, got ${JSON.stringify(value.slice(0, 40))}`, {
      where: 'APP_ID',
      hint: 'use the numeric App ID (e.g. 123456), not the Client ID or the app name',
    });
  }
  return Number(value.trim());
}

function readPrivateKey(env: NodeJS.ProcessEnv, io: ConfigIo): string {
  const inline = env['PRIVATE_KEY'];
  const path = env['PRIVATE_KEY_PATH'];
  let pem: string;
  let source: string;
  if (inline !== undefined && inline.trim() !== '') {
    source = 'PRIVATE_KEY';
    pem = decodeInlineKey(inline);
  } else if (path !== undefined && path.trim() !== '') {
    source = 'PRIVATE_KEY_PATH';
    try {
      pem = io.readFile(path);
    } catch (cause) {
      throw new UsageError(`PRIVATE_KEY_PATH points to a file that cannot be read: ${(cause as Error).message}`, {
        where: path,
        hint: 'give the path of the .pem file downloaded from the app\'s settings ("Generate a private key")',
        cause,
      });
    }
  } else {
    throw new UsageError('neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set', {
      where: 'PRIVATE_KEY',
      hint: `generate a private key on the app's settings page and set PRIVATE_KEY_PATH to the downloaded .pem file (or PRIVATE_KEY to its contents); ${GUIDE}`,
    });
  }
  const hint = `${source} must hold the PEM RSA key GitHub generated for the app ("-----BEGIN RSA PRIVATE KEY-----…"); download a new one from the app's settings if it was lost`;
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem))
    throw new UsageError(`${source} is not a PEM private key`, { where: source, hint });
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch (cause) {
    // The parser's message never contains key material.
    throw new UsageError(`${source} is not a readable private key: ${(cause as Error).message}`, {
      where: source,
      hint,
      cause,
    });
  }
  if (type !== 'rsa')
    throw new UsageError(`${source} is a ${type} key; GitHub apps sign with RSA keys`, { where: source, hint });
  return pem;
}

/** Multi-line values are awkward in some hosts' settings: accept `\n` escapes and base64, as Probot does. */
function decodeInlineKey(value: string): string {
  const text = value.trim();
  if (text.includes('-----BEGIN')) return text.replace(/\\n/g, '\n');
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) {
    const decoded = Buffer.from(text, 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) return decoded;
  }
  return text;
}

function readSigningKey(env: NodeJS.ProcessEnv, io: ConfigIo): string | undefined {
  let pem = env['GRANARY_SIGNING_KEY'];
  let source = 'GRANARY_SIGNING_KEY';
  const path = env['GRANARY_SIGNING_KEY_PATH'];
  if ((pem === undefined || pem.trim() === '') && path) {
    source = 'GRANARY_SIGNING_KEY_PATH';
    try {
      pem = io.readFile(path);
    } catch (cause) {
      throw new UsageError(
        `GRANARY_SIGNING_KEY_PATH points to a file that cannot be read: ${(cause as Error).message}`,
        { where: path, hint: 'give the private key file written by `granary keygen`', cause },
      );
    }
  }
  if (pem === undefined || pem.trim() === '') return undefined;
  pem = pem.replace(/\\n/g, '\n');
  try {
    loadPrivateKey(pem, source);
  } catch (cause) {
    throw new UsageError(`${source} is not an Ed25519 private key`, {
      where: source,
      hint: 'use the private key written by `granary keygen` (PKCS#8 PEM); its public half goes in registry.yaml as publicKey',
      cause,
    });
  }
  return pem;
}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`PORT must be a port number (0-65535), got ${JSON.stringify(value.slice(0, 20))}`, {
      where: 'PORT',
      hint: 'unset it for the default (3000)',
    });
  return port;
}

function readWebhookPath(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_WEBHOOK_PATH;
  if (!value.startsWith('/'))
    throw new UsageError(`WEBHOOK_PATH must start with "/", got ${JSON.stringify(value.slice(0, 60))}`, {
      where: 'WEBHOOK_PATH',
      hint: 'e.g. /api/github/webhooks (the path part of the webhook URL in the app settings)',
    });
  return value;
}

function readBaseUrl(host: string | undefined, protocol: string | undefined): string | undefined {
  if (!host) return undefined;
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host))
    throw new UsageError(`GHE_HOST must be a host name, got ${JSON.stringify(host.slice(0, 60))}`, {
      where: 'GHE_HOST',
      hint: 'e.g. github.example.com, without https://',
    });
  return `${protocol || 'https'}://${host}/api/v3`;
}
