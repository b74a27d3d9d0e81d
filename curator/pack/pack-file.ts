/** `granary pack FILE`: one definition of a registry working tree packed into its tarball and `.sha256` sidecar. */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { overridePath, REGISTRY_YAML } from '../registry/layout.js';
import { parseDefinition, parseOverride, parseRegistrySettings, validSettings, validValue } from '../registry/parse.js';
import { packVersion } from './pack.js';
import type { PackResult } from './types.js';
import { writeAsset, type WrittenAsset } from './write-asset.js';

/** The definition file to pack, the registry it belongs to, and where the tarball goes. */
export interface PackFileOptions {
  /** The registry working tree: registry.yaml and overrides/ are read from it. */
  repo: string;
  /** The definition file, relative to `cwd` first, then to `repo`. */
  file: string;
  cwd: string;
  /** Where the tarball and its sidecar are written. */
  out: string;
  env?: NodeJS.ProcessEnv;
}

/** The packed version and the files written. */
export interface PackedFile {
  result: PackResult;
  written: WrittenAsset;
  /** The override baked in, when the registry has one for the version. */
  override: string | undefined;
}

/** Read the definition (and its override) with the registry's one reader, pack it, and write the asset once. */
export async function packFile(options: PackFileOptions): Promise<PackedFile> {
  const { repo } = options;
  const registryFile = join(repo, REGISTRY_YAML);
  const registryBytes = await readFile(registryFile).catch(() => undefined);
  if (registryBytes === undefined) {
    throw new UsageError(`no ${REGISTRY_YAML} in ${repo}`, {
      where: repo,
      hint: 'run in the registry repository, or pass --repo <dir>',
    });
  }
  const registry = validSettings(parseRegistrySettings(registryBytes, registryFile));
  const path = locateDefinition(options.cwd, repo, options.file);
  const definition = validValue(parseDefinition(await readFile(path), repoPath(repo, path), registry));
  const overrideFile = overridePath(definition.name, definition.version);
  const overrideBytes = await readFile(join(repo, overrideFile)).catch(() => undefined);
  const override =
    overrideBytes === undefined ? undefined : validValue(parseOverride(overrideBytes, overrideFile, registry));

  const result = await packVersion(definition, { registry, override, cwd: repo, env: options.env });
  await mkdir(options.out, { recursive: true });
  const written = await writeAsset(options.out, result.fileName, result.bytes, result.sha256);
  return { result, written, override: override === undefined ? undefined : join(repo, overrideFile) };
}

function locateDefinition(cwd: string, repo: string, file: string): string {
  const direct = resolve(cwd, file);
  if (existsSync(direct)) return direct;
  if (!isAbsolute(file) && existsSync(join(repo, file))) return join(repo, file);
  throw new UsageError(`no definition file at ${file}`, {
    where: direct,
    hint: 'pass the path of packages/<name>/<version>.yaml',
  });
}

/** The file's path in the registry (`packages/…`), which must agree with its name and version; as given when outside. */
function repoPath(repo: string, path: string): string {
  const inside = relative(resolve(repo), path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside.split(sep).join('/');
}
