/**
 * The settings of the read commands (resolve, info, search, install, update, remove, outdated, verify,
 * mirror), taken as settings.ts says, and the registry they open: loaded by their actions only.
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { GranaryError, UsageError, shown } from '../../core/errors.js';
import { decodePublicKey } from '../../core/signing.js';
import {
  DEFAULT_DEPS,
  DEFAULT_JOBS,
  LOCKFILE_NAME,
  defaultCacheDir,
  noRegistryGiven,
  openRegistry,
  readLockfile,
  relocateSpec,
  type ClientDeps,
  type Registry,
} from '../../client/index.js';
import type { CommandContext } from '../command.js';
import { positiveInteger } from '../flags.js';
import {
  originNote,
  readSources,
  settingOf,
  type ProjectLockfile,
  type Setting,
  type SettingSources,
} from '../settings.js';
import type { RegistryFlags } from './resolve.js';

/** The settings' sources with the project's lockfile (`lock`, else granary.lock in the working directory) when it exists. */
export async function projectSources(ctx: CommandContext, lock = LOCKFILE_NAME): Promise<SettingSources> {
  const path = resolvePath(ctx.io.cwd, lock);
  const read = await readLockfile(path);
  const lockfile: ProjectLockfile | undefined = read === undefined ? undefined : { path, lock: read };
  return readSources(ctx.io, lockfile);
}

/** A registry setting's spec as seen from `cwd`: a relative directory set in a file is relative to that file's directory. */
export function specFromCwd(setting: Setting, cwd: string): string {
  return setting.base === cwd ? setting.value : relocateSpec(setting.value, setting.base, cwd);
}

/** The cache directory: `--cache`, else the settings', else $XDG_CACHE_HOME/granary, else ~/.cache/granary. */
export function cacheDirOf(flag: string | undefined, ctx: CommandContext, sources = readSources(ctx.io)): string {
  const setting = settingOf('cache', flag, sources);
  return setting === undefined ? defaultCacheDir(ctx.io.env) : resolvePath(setting.base, setting.value);
}

/** How many downloads run at once: `--jobs`, else the settings', else DEFAULT_JOBS. */
export function jobsOf(flag: string | undefined, ctx: CommandContext, sources = readSources(ctx.io)): number {
  const setting = settingOf('jobs', flag, sources);
  if (setting === undefined) return DEFAULT_JOBS;
  const example = setting.kind === 'environment' ? 'GRANARY_JOBS=8' : setting.kind === 'file' ? 'jobs: 8' : '--jobs 8';
  return positiveInteger(setting.value, setting.label, example);
}

/** The root.json a setting names, read; undefined when unset. */
export async function readTrustRoot(setting: Setting | undefined): Promise<Buffer | undefined> {
  if (setting === undefined) return undefined;
  const where = resolvePath(setting.base, setting.value);
  try {
    return await readFile(where);
  } catch (cause) {
    throw new UsageError(`cannot read the trusted root named by ${setting.label}`, {
      where,
      cause,
      hint: "pass the registry's root.json (its metadata/1.root.json, obtained from its operators)",
    });
  }
}

/** The key a setting pins, as `ed25519:…` text (the setting may name a file that holds it); undefined when unset. */
export async function trustKeyOf(setting: Setting | undefined): Promise<string | undefined> {
  return setting === undefined ? undefined : readTrustKey(setting.value, setting.label, setting.base);
}

const KEY_HINT =
  'pass the public key as `granary keygen` prints it (ed25519:<44 base64 characters>), or the path of the .pub file it wrote';

/** `value` as a public key: the key itself, else the content of the file it names; `from` (a flag, variable or file) is named when it is neither. */
export async function readTrustKey(value: string, from: string, cwd: string): Promise<string> {
  const text = value.trim();
  if (text.startsWith('ed25519:')) return checkedKey(text, from, undefined);
  const path = resolvePath(cwd, text);
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (cause) {
    throw new UsageError(`${from} is neither a public key nor a file that holds one: ${shown(value)}`, {
      where: path,
      hint: KEY_HINT,
      cause,
    });
  }
  return checkedKey(content.trim(), from, path);
}

function checkedKey(text: string, from: string, file: string | undefined): string {
  try {
    decodePublicKey(text);
  } catch (cause) {
    if (!(cause instanceof GranaryError)) throw cause;
    const what = file === undefined ? `${from} is not` : `the file ${from} names does not hold`;
    throw new UsageError(`${what} an Ed25519 public key: ${shown(text, 60)}`, {
      ...(file === undefined ? {} : { where: file }),
      hint: KEY_HINT,
      cause,
    });
  }
  return text;
}

/**
 * The registry opener of the client, its errors ending with where the configured values among `settings`
 * came from: `… (registry from GRANARY_REGISTRY; trust key from granary.lock)`.
 */
export function openNaming(settings: Record<string, Setting | undefined>): ClientDeps['openRegistry'] {
  const note = originNote(settings);
  return async (spec, options) => {
    try {
      return await openRegistry(spec, options);
    } catch (error) {
      if (note !== '' && error instanceof GranaryError) error.message = `${error.message} (${note})`;
      throw error;
    }
  };
}

/** The client's read side, with `openNaming`'s opener. */
export function depsNaming(settings: Record<string, Setting | undefined>): ClientDeps {
  return { ...DEFAULT_DEPS, openRegistry: openNaming(settings) };
}

/**
 * Open the registry the flags, else the project's lockfile, else the environment or a config file names
 * (settings.ts); warnings go to stderr.
 */
export async function openRegistryFromFlags(ctx: CommandContext, flags: RegistryFlags): Promise<Registry> {
  const needsLockfile = flags.registry === undefined || flags.trustKey === undefined;
  const sources = needsLockfile ? await projectSources(ctx) : readSources(ctx.io);
  const registry = settingOf('registry', flags.registry, sources);
  if (!registry?.value) throw noRegistryGiven();
  const keySetting = settingOf('trustKey', flags.trustKey, sources);
  const rootSetting = settingOf('trustRoot', flags.trustRoot, sources);
  const trustRoot = await readTrustRoot(rootSetting);
  const trustKey = await trustKeyOf(keySetting);
  const open = openNaming({ registry, 'trust key': keySetting, 'trusted root': rootSetting });
  return open(registry.value, {
    cwd: registry.base,
    ...(trustRoot === undefined ? {} : { trustRoot }),
    ...(flags.snapshot === undefined ? {} : { snapshot: flags.snapshot }),
    ...(trustKey === undefined ? {} : { trustKey }),
    cacheDir: cacheDirOf(flags.cache, ctx, sources),
    warn: (message) => ctx.io.stderr(`warning: ${message}\n`),
  });
}
