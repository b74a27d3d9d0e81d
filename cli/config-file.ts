/**
 * The config files of the read commands: where they are (the user's, the project's), and what one holds.
 * Settings (settings.ts) says which of them, the environment and the flags wins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { UsageError, shown } from '../core/errors.js';
import { loadYaml } from '../core/yaml.js';

/** The keys a config file may set. */
export const CONFIG_KEYS = ['registry', 'trustKey', 'trustRoot', 'cache', 'jobs'] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** A project's config file, relative to the project directory. */
export const PROJECT_CONFIG = join('.granary', 'config.yaml');

/** A config file's settings, each with the line that sets it. */
export interface ConfigFile {
  path: string;
  values: Partial<Record<ConfigKey, { value: string; line: number }>>;
}

const FORMAT_HINT = `a config file is YAML that sets some of ${CONFIG_KEYS.join(', ')}, e.g. \`registry: https://registry.example.org/index\` (see docs/client.md, "Configuration")`;

/**
 * The user's config file: `$GRANARY_CONFIG`, else `$XDG_CONFIG_HOME/granary/config.yaml`, else
 * `$HOME/.config/granary/config.yaml`; undefined when none of the three is set. `named` is set when
 * GRANARY_CONFIG chose it: then it must exist.
 */
export function userConfigPath(env: NodeJS.ProcessEnv, cwd: string): { path: string; named?: string } | undefined {
  if (env.GRANARY_CONFIG) return { path: resolvePath(cwd, env.GRANARY_CONFIG), named: 'GRANARY_CONFIG' };
  // The XDG base directory specification says a relative path there is invalid and is ignored.
  if (env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME))
    return { path: join(env.XDG_CONFIG_HOME, 'granary', 'config.yaml') };
  if (env.HOME) return { path: join(env.HOME, '.config', 'granary', 'config.yaml') };
  return undefined;
}

/**
 * The nearest `.granary/config.yaml` from `cwd` up: the search stops at the root of the git repository
 * `cwd` is in (a directory holding `.git`), so where a checkout lies does not change what it reads.
 */
export function findProjectConfig(cwd: string): string | undefined {
  for (let dir = resolvePath(cwd); ; dir = dirname(dir)) {
    const path = join(dir, PROJECT_CONFIG);
    if (existsSync(path)) return path;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return undefined;
  }
}

/** The config file at `path`; undefined when it does not exist, unless `named` (the variable that chose it) says it must. */
export function readConfigFile(path: string, named?: string): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing && named === undefined) return undefined;
    throw new UsageError(missing ? `${named} names a config file that does not exist` : 'cannot read the config file', {
      where: path,
      cause,
      hint: missing
        ? `create it, or point ${named} at another file (GRANARY_CONFIG=/dev/null reads none)`
        : 'make it a readable file, or remove it',
    });
  }
  return parseConfigFile(text, path);
}

/** A config file's text: a map of the known keys to strings (`jobs` may be a number); anything else names `path:line`. */
export function parseConfigFile(text: string, path: string): ConfigFile {
  const loaded = loadYaml(text);
  const issue = loaded.issues[0];
  if (issue)
    throw new UsageError(`${path}:${issue.line}:${issue.col}: ${issue.message}`, {
      where: `${path}:${issue.line}`,
      hint: FORMAT_HINT,
    });
  const document = loaded.value;
  if (document === null || document === undefined) return { path, values: {} };
  if (typeof document !== 'object' || Array.isArray(document))
    throw new UsageError(`${path} is not a map of settings but ${kindOf(document)}`, {
      where: `${path}:1`,
      hint: FORMAT_HINT,
    });
  const values: ConfigFile['values'] = {};
  for (const [key, value] of Object.entries(document)) {
    const { line } = loaded.locate([key]);
    const at = `${path}:${line}`;
    if (!(CONFIG_KEYS as readonly string[]).includes(key))
      throw new UsageError(`unknown key ${shown(key)} in ${at}`, {
        where: at,
        hint: `the keys of a config file are ${CONFIG_KEYS.join(', ')}`,
      });
    const text = typeof value === 'number' && key === 'jobs' ? String(value) : value;
    if (typeof text !== 'string' || text.trim() === '')
      throw new UsageError(
        `${key} in ${at} must be ${key === 'jobs' ? 'a whole number' : 'a non-empty string'}, not ${kindOf(value)}`,
        { where: at, hint: FORMAT_HINT },
      );
    values[key as ConfigKey] = { value: text, line };
  }
  return { path, values };
}

function kindOf(value: unknown): string {
  if (value === null || value === '') return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? shown(value) : String(value);
}
