/** Registry files fetched from a tree (a commit, or a pull request through the API) and checked by the one reader. */
import type { Problem } from '../../core/errors.js';
import { loadYaml, type LoadedYaml } from '../../core/yaml.js';
import { classifyPath, displayPath, REGISTRY_YAML } from './layout.js';
import {
  defaultConfig,
  MAX_REGISTRY_YAML_BYTES,
  parseDefinition,
  parseOverride,
  parseRegistrySettings,
  REGISTRY_YAML_LIMIT,
  tooLargeProblem,
  type ParsedFile,
  type ParsedDefinition,
  type ParsedOverride,
  type ReaderSettings,
  type RegistrySettings,
} from './parse.js';
import { START } from './problem-list.js';
import type { RegistryTree } from './types.js';

/** A file of the tree: its path, and its size when the listing gave it (a huge file is then refused unread). */
export interface TreeFile {
  path: string;
  size: number | undefined;
}

/** The bytes of `file`, or the problem that stopped reading them (`file-too-large`, or not a readable file). */
async function readBytes(
  tree: RegistryTree,
  file: TreeFile,
  maxBytes: number,
  limit?: string,
): Promise<Buffer | Problem> {
  const shown = displayPath(file.path);
  if (file.size !== undefined && file.size > maxBytes) return tooLargeProblem(shown, file.size, maxBytes, limit);
  const bytes = await tree.read(file.path);
  if (bytes === undefined)
    return {
      file: shown,
      ...START,
      severity: 'error',
      rule: 'file-layout',
      message: 'the file could not be read from the tree (is it a regular file?)',
    };
  return bytes;
}

function unread<T>(path: string, problem: Problem): ParsedFile<T> {
  const info = classifyPath(path);
  const place = info.kind === 'definition' || info.kind === 'override' ? info : { name: '', version: '' };
  return {
    path,
    file: problem.file,
    name: place.name,
    version: place.version,
    loaded: undefined,
    text: undefined,
    value: undefined,
    problems: [problem],
  };
}

/**
 * Keep the value but let go of the parsed document: a registry holds thousands of files and the
 * documents' memory dominated whole-registry checks. The rare late problem re-parses for its location.
 */
function detach<T>(parsed: ParsedFile<T>, maxBytes: number): ParsedFile<T> {
  const { loaded, text } = parsed;
  if (loaded === undefined || text === undefined) return parsed;
  let again: LoadedYaml | undefined;
  return {
    ...parsed,
    loaded: {
      value: loaded.value,
      issues: loaded.issues,
      locate: (path) => (again ??= loadYaml(text, maxBytes)).locate(path),
    },
  };
}

/** Read the definition `file` of `tree` and check it on its own (see parseDefinition). */
export async function readDefinition(
  tree: RegistryTree,
  file: TreeFile,
  settings: ReaderSettings,
): Promise<ParsedDefinition> {
  const max = settings.limits.maxDefinitionBytes;
  const bytes = await readBytes(tree, file, max);
  if (!Buffer.isBuffer(bytes)) return unread(file.path, bytes);
  return detach(parseDefinition(bytes, file.path, settings), max);
}

/** Read the override `file` of `tree` and check it on its own (see parseOverride). */
export async function readOverride(
  tree: RegistryTree,
  file: TreeFile,
  settings: ReaderSettings,
): Promise<ParsedOverride> {
  const bytes = await readBytes(tree, file, settings.limits.maxDefinitionBytes);
  if (!Buffer.isBuffer(bytes)) return unread(file.path, bytes);
  return parseOverride(bytes, file.path, settings);
}

/** registry.yaml of `tree`, checked; the defaults when it is absent or broken. */
export async function readRegistrySettings(tree: RegistryTree): Promise<RegistrySettings> {
  const entry = (await tree.list(REGISTRY_YAML)).find((e) => e.path === REGISTRY_YAML);
  if (!entry) return { config: defaultConfig(), present: false, problems: [] };
  if (entry.kind !== 'file') {
    return {
      config: defaultConfig(),
      present: true,
      problems: [
        {
          file: REGISTRY_YAML,
          ...START,
          severity: 'error',
          rule: 'symlink',
          message: `${REGISTRY_YAML} must be a regular file`,
        },
      ],
    };
  }
  const file = { path: REGISTRY_YAML, size: entry.size };
  const bytes = await readBytes(tree, file, MAX_REGISTRY_YAML_BYTES, REGISTRY_YAML_LIMIT);
  if (!Buffer.isBuffer(bytes)) return { config: defaultConfig(), present: true, problems: [bytes] };
  return parseRegistrySettings(bytes);
}
