/** Where curate's signing key comes from: `--sign-key FILE`, else `GRANARY_SIGNING_KEY` (PEM text, or a path to it). */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';

/** The environment variable that holds the signing key (PEM text, or a path to it). */
export const SIGNING_KEY_ENV = 'GRANARY_SIGNING_KEY';

/** The PEM text of the signing key, or undefined when none is configured. */
export async function readSigningKey(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ pem: string; where: string } | undefined> {
  if (flag !== undefined) return { pem: await readKeyFile(resolve(cwd, flag), '--sign-key'), where: flag };
  const value = env[SIGNING_KEY_ENV];
  if (value === undefined || value.trim() === '') return undefined;
  // A PEM begins with its armour line; anything else is taken as a path, so a secret is never echoed as one.
  if (value.trimStart().startsWith('-----BEGIN')) return { pem: value, where: SIGNING_KEY_ENV };
  return { pem: await readKeyFile(resolve(cwd, value.trim()), SIGNING_KEY_ENV), where: SIGNING_KEY_ENV };
}

async function readKeyFile(path: string, source: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read the signing key named by ${source}`, {
      where: source === '--sign-key' ? path : source,
      hint: 'pass the path of the PEM file `granary keygen` wrote, or put the PEM text itself in GRANARY_SIGNING_KEY',
      cause,
    });
  }
}
