/**
 * Where each setting of the read commands comes from, and which wins: a flag, else the project's lockfile
 * (registry and key only), else the environment, else the project's config file, else the user's. Every
 * value keeps its origin, so an error about it can say where it was set.
 */
import { dirname } from 'node:path';
import { shownPath, type Lockfile } from '../client/index.js';
import { findProjectConfig, readConfigFile, userConfigPath, type ConfigFile, type ConfigKey } from './config-file.js';
import type { Io } from './io.js';

/** A value, and where it was set. */
export interface Setting {
  value: string;
  kind: 'flag' | 'lockfile' | 'environment' | 'file';
  /** Where, as an error names it: `--registry`, `granary.lock`, `GRANARY_REGISTRY`, `/p/.granary/config.yaml:3`. */
  origin: string;
  /** The value as a message names it: `--trust-key`, `GRANARY_TRUST_KEY`, `trustKey in /p/.granary/config.yaml:3`. */
  label: string;
  /** What a relative path in the value is relative to: the working directory, or the directory of the file that set it. */
  base: string;
}

/** The flag of each setting. */
export const SETTING_FLAGS: Record<ConfigKey, string> = {
  registry: '--registry',
  trustKey: '--trust-key',
  trustRoot: '--trust-root',
  cache: '--cache',
  jobs: '--jobs',
};

/** The environment variable of each setting. */
export const SETTING_VARIABLES: Record<ConfigKey, string> = {
  registry: 'GRANARY_REGISTRY',
  trustKey: 'GRANARY_TRUST_KEY',
  trustRoot: 'GRANARY_TRUST_ROOT',
  cache: 'GRANARY_CACHE',
  jobs: 'GRANARY_JOBS',
};

/** The project's lockfile, as read. */
export interface ProjectLockfile {
  path: string;
  lock: Lockfile;
}

/** What settings are taken from, below the flags. */
export interface SettingSources {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The project's lockfile, where the command reads one and it exists. */
  lockfile?: ProjectLockfile;
  /** The config files, the one that wins first: the project's, then the user's. */
  files: ConfigFile[];
}

/** Read the config files that apply in `io.cwd` (see config-file.ts); the lockfile is read by the caller. */
export function readSources(io: Pick<Io, 'cwd' | 'env'>, lockfile?: ProjectLockfile): SettingSources {
  const user = userConfigPath(io.env, io.cwd);
  const project = findProjectConfig(io.cwd);
  const files = [
    project === undefined ? undefined : readConfigFile(project),
    user === undefined ? undefined : readConfigFile(user.path, user.named),
  ].filter((file): file is ConfigFile => file !== undefined);
  return { cwd: io.cwd, env: io.env, files, ...(lockfile === undefined ? {} : { lockfile }) };
}

/** The setting `key`: `flag` when given, else the lockfile's, the environment's, the config files'; undefined when none sets it. */
export function settingOf(key: ConfigKey, flag: string | undefined, sources: SettingSources): Setting | undefined {
  const { cwd, env, lockfile } = sources;
  if (flag !== undefined)
    return { value: flag, kind: 'flag', origin: SETTING_FLAGS[key], label: SETTING_FLAGS[key], base: cwd };
  const locked = lockfile === undefined ? undefined : lockfileSetting(key, lockfile, cwd);
  if (locked !== undefined) return locked;
  const variable = SETTING_VARIABLES[key];
  const fromEnv = env[variable];
  if (fromEnv) return { value: fromEnv, kind: 'environment', origin: variable, label: variable, base: cwd };
  for (const file of sources.files) {
    const set = file.values[key];
    if (set === undefined) continue;
    const origin = `${file.path}:${set.line}`;
    return { value: set.value, kind: 'file', origin, label: `${key} in ${origin}`, base: dirname(file.path) };
  }
  return undefined;
}

function lockfileSetting(key: ConfigKey, { path, lock }: ProjectLockfile, cwd: string): Setting | undefined {
  const value = key === 'registry' ? lock.registry : key === 'trustKey' ? lock.publicKey : undefined;
  if (value === undefined) return undefined;
  const origin = shownPath(path, cwd);
  const field = key === 'registry' ? 'registry' : 'publicKey';
  return { value, kind: 'lockfile', origin, label: `${field} in ${origin}`, base: dirname(path) };
}

/** `registry from GRANARY_REGISTRY; trust key from granary.lock`: the configured values among `settings` (flags left out); '' when there are none. */
export function originNote(settings: Record<string, Setting | undefined>): string {
  return Object.entries(settings)
    .filter((entry): entry is [string, Setting] => entry[1] !== undefined && entry[1].kind !== 'flag')
    .map(([what, setting]) => `${what} from ${setting.origin}`)
    .join('; ');
}
