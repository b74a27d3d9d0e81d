// Start-up configuration: every mistake stops the app with the variable at fault and how to fix it.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../curator/app/config.js';
import { UsageError } from '../../core/errors.js';
import { generateKeyPair } from '../../core/signing.js';
import { tempDir } from '../helpers/tmp.js';
import { appPrivateKey } from './support/github.js';

const run = promisify(execFile);
const noFiles = {
  readFile: (p: string) => {
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
  },
};

function failure(env: NodeJS.ProcessEnv): UsageError {
  try {
    loadAppConfig(env, noFiles);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('configuration was accepted');
}

describe('loadAppConfig', () => {
  const good = () => ({
    APP_ID: '12345',
    PRIVATE_KEY: appPrivateKey(),
    WEBHOOK_SECRET: 's3cret',
    GRANARY_REPOSITORIES: 'acme/registry',
  });

  it('accepts a complete configuration, with a base64 or \\n-escaped key', () => {
    const config = loadAppConfig(good(), noFiles);
    expect(config).toMatchObject({
      appId: 12345,
      webhookSecret: 's3cret',
      port: 3000,
      webhookPath: '/api/github/webhooks',
      logLevel: 'info',
      signingKeyPem: undefined,
    });
    expect(
      loadAppConfig({ ...good(), PRIVATE_KEY: Buffer.from(appPrivateKey()).toString('base64') }, noFiles).privateKey,
    ).toBe(appPrivateKey());
    expect(loadAppConfig({ ...good(), PRIVATE_KEY: appPrivateKey().replace(/\n/g, '\\n') }, noFiles).privateKey).toBe(
      appPrivateKey(),
    );
    const signing = generateKeyPair();
    expect(loadAppConfig({ ...good(), GRANARY_SIGNING_KEY: signing.privateKeyPem }, noFiles).signingKeyPem).toBe(
      signing.privateKeyPem,
    );
  });

  it('names the variable and the fix for each mistake', () => {
    expect(failure({ ...good(), APP_ID: undefined })).toMatchObject({ where: 'APP_ID', message: 'APP_ID is not set' });
    expect(failure({ ...good(), APP_ID: 'my-app' })).toMatchObject({
      where: 'APP_ID',
      message: 'APP_ID must be a number, got "my-app"',
      hint: expect.stringContaining('numeric App ID'),
    });
    expect(failure({ ...good(), WEBHOOK_SECRET: '' })).toMatchObject({
      where: 'WEBHOOK_SECRET',
      hint: expect.stringContaining("app's settings"),
    });
    // A pass must come before the one-day timestamp's second half is gone.
    expect(failure({ ...good(), GRANARY_RECONCILE_MINUTES: '720' })).toMatchObject({
      where: 'GRANARY_RECONCILE_MINUTES',
      message: 'GRANARY_RECONCILE_MINUTES must be whole minutes from 0 to 360, got "720"',
      hint: expect.stringContaining('granary index refresh'),
    });
    expect(loadAppConfig({ ...good(), GRANARY_RECONCILE_MINUTES: '360' }, noFiles).reconcileMinutes).toBe(360);
    expect(failure({ ...good(), PRIVATE_KEY: undefined })).toMatchObject({
      where: 'PRIVATE_KEY',
      message: 'neither PRIVATE_KEY nor PRIVATE_KEY_PATH is set',
    });
    expect(failure({ ...good(), PRIVATE_KEY: 'not a key' })).toMatchObject({
      where: 'PRIVATE_KEY',
      message: 'PRIVATE_KEY is not a PEM private key',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(failure({ ...good(), PRIVATE_KEY: ec })).toMatchObject({
      where: 'PRIVATE_KEY',
      message: 'PRIVATE_KEY is a ec key; GitHub apps sign with RSA keys',
    });
    const broken = appPrivateKey().replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAA');
    expect(failure({ ...good(), PRIVATE_KEY: broken }).message).toMatch(/^PRIVATE_KEY is not a readable private key/);
    expect(failure({ ...good(), PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: '/nowhere/key.pem' })).toMatchObject({
      where: '/nowhere/key.pem',
    });
    expect(failure({ ...good(), PORT: '99999' })).toMatchObject({ where: 'PORT' });
    expect(failure({ ...good(), GRANARY_SIGNING_KEY: appPrivateKey() })).toMatchObject({
      where: 'GRANARY_SIGNING_KEY',
      message: 'GRANARY_SIGNING_KEY is not an Ed25519 private key',
    });
    // No message ever repeats key material.
    expect(JSON.stringify(failure({ ...good(), PRIVATE_KEY: broken }))).not.toContain(broken.slice(40, 80));
  });
});

describe('the server entry', () => {
  const entry = join(import.meta.dirname, '../../curator/app/server.ts');
  const start = async (env: Record<string, string>) => {
    const result = await run(process.execPath, ['--import', 'tsx', entry], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      timeout: 20_000,
    }).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    return result;
  };

  it('stops at once with a fix-it message for a bad private key or a missing webhook secret', async () => {
    const dir = await tempDir();
    const keyFile = join(dir, 'app.pem');
    await writeFile(keyFile, '-----BEGIN RSA PRIVATE KEY-----\nnot really a key\n-----END RSA PRIVATE KEY-----\n');
    const badKey = await start({ APP_ID: '1', PRIVATE_KEY_PATH: keyFile, WEBHOOK_SECRET: 'x' });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(
      /^granary app: cannot start\nerror: PRIVATE_KEY_PATH is not a readable private key: .*\n {2}at: PRIVATE_KEY_PATH\n {2}fix: PRIVATE_KEY_PATH must hold the PEM RSA key/,
    );

    const noSecret = await start({ APP_ID: '1', PRIVATE_KEY: appPrivateKey() });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain(
      'error: WEBHOOK_SECRET is not set: webhook signatures cannot be verified without it\n  at: WEBHOOK_SECRET\n  fix: set WEBHOOK_SECRET to the "Webhook secret"',
    );
  });
});

describe('GitHub Enterprise Server', () => {
  it('one API URL gives GHE URLs to the store, its asset base and the comments', async () => {
    const { productionDependencies } = await import('../../curator/app/production.js');
    const config = loadAppConfig(
      {
        APP_ID: '12345',
        PRIVATE_KEY: appPrivateKey(),
        WEBHOOK_SECRET: 's3cret',
        GRANARY_REPOSITORIES: 'acme/registry',
        GHE_HOST: 'ghe.example.test',
      },
      noFiles,
    );
    const deps = productionDependencies(config);
    expect(deps.webUrl).toBe('https://ghe.example.test');
    const [store] = await deps.stores({
      owner: 'acme',
      repo: 'registry',
      octokit: {} as never,
      releases: 'per-package',
    });
    expect(store!.assetBase).toBe('https://ghe.example.test/acme/registry/releases/download');
  });
});
