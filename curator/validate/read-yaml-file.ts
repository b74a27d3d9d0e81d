/** Read one YAML file from a tree: size checked before reading, UTF-8 checked before parsing. */
import type { Problem } from '../../core/errors.js';
import { loadYaml, type LoadedYaml } from '../../core/yaml.js';
import { displayPath } from './paths.js';
import { ProblemList, START } from './problem-list.js';
import type { RegistryTree } from './types.js';

export interface ReadYaml {
  loaded: LoadedYaml | undefined;
  text: string | undefined;
  problems: Problem[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decode bytes as UTF-8 (a leading BOM dropped); undefined when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Read and parse `path`; every failure becomes a problem of rule `file-too-large`, `encoding` or `yaml`. */
export async function readYamlFile(
  tree: RegistryTree,
  path: string,
  knownSize: number | undefined,
  maxBytes: number,
): Promise<ReadYaml> {
  const file = displayPath(path);
  const problems = new ProblemList();
  const tooLarge = (size: number) => {
    problems.error(
      file,
      START,
      'file-too-large',
      `the file is ${size} bytes; registry files are at most ${maxBytes} bytes (limits.maxDefinitionBytes)`,
    );
    return { loaded: undefined, text: undefined, problems: problems.items };
  };
  if (knownSize !== undefined && knownSize > maxBytes) return tooLarge(knownSize);
  const bytes = await tree.read(path);
  if (bytes === undefined) {
    problems.error(file, START, 'file-layout', 'the file could not be read from the tree (is it a regular file?)');
    return { loaded: undefined, text: undefined, problems: problems.items };
  }
  if (bytes.length > maxBytes) return tooLarge(bytes.length);
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    problems.error(file, START, 'encoding', 'the file is not valid UTF-8 text');
    return { loaded: undefined, text: undefined, problems: problems.items };
  }
  const loaded = loadYaml(text, maxBytes);
  for (const issue of loaded.issues) problems.error(file, issue, 'yaml', issue.message);
  return { loaded, text, problems: problems.items };
}
