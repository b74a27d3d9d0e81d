/** The whole-registry check: every definition and override, registry.yaml, and the rules across them. */
import { dependencyProblems } from './dependency-rules.js';
import { allCycles } from './dependency-graph.js';
import { classifyPath, displayPath, OVERRIDES_DIR, PACKAGES_DIR, definitionPath } from '../registry/layout.js';
import { ProblemList, START } from '../registry/problem-list.js';
import { readRegistrySettings } from '../registry/read.js';
import type { RegistryTree } from '../registry/types.js';
import { RegistryView } from './registry-view.js';
import type { RegistryOptions, ValidationReport } from './types.js';

/** Check every file under packages/ and overrides/ plus registry.yaml of `tree`. */
export async function validateRegistry(tree: RegistryTree, options: RegistryOptions = {}): Promise<ValidationReport> {
  const problems = new ProblemList();
  const settings = await readRegistrySettings(tree);
  problems.add(settings.problems);
  const view = await RegistryView.open(tree, settings.config);
  const entries = [...(await tree.list(`${PACKAGES_DIR}/`)), ...(await tree.list(`${OVERRIDES_DIR}/`))];
  const deleted = options.history ? await options.history.deletedDefinitions() : new Set<string>();

  const definitions: Array<{ name: string; version: string }> = [];
  const overrides: Array<{ name: string; version: string }> = [];
  for (const entry of entries) {
    const file = displayPath(entry.path);
    const info = classifyPath(entry.path);
    if (entry.kind !== 'file') {
      problems.error(
        file,
        START,
        entry.kind,
        `${entry.kind === 'symlink' ? 'symbolic links' : 'submodules'} are not allowed in ${entry.path.split('/')[0]}/`,
      );
      continue;
    }
    if (info.kind === 'misplaced') problems.error(file, START, info.rule, info.message);
    else if (info.kind === 'definition') definitions.push(info);
    else if (info.kind === 'override') overrides.push(info);
  }

  // Start every read at once so the tree reader can pipeline them.
  const parsedDefinitions = await Promise.all(definitions.map((d) => view.definition(d.name, d.version)!));
  const parsedOverrides = await Promise.all(overrides.map((o) => view.override(o.name, o.version)));

  for (const parsed of parsedDefinitions) {
    problems.add(parsed.problems);
    const { value, loaded } = parsed;
    if (!value || !loaded) continue;
    problems.add(dependencyProblems(parsed.file, loaded, parsed.name, value.dependencies ?? {}, view));
    if (deleted.has(parsed.path)) {
      problems.error(
        parsed.file,
        loaded.locate(['version']),
        'version-unpublished',
        `${parsed.name}@${parsed.version} was unpublished before; a version number is never reused`,
      );
    }
  }
  for (const name of view.names()) {
    const first = view.versions(name)[0]!;
    const parsed = await view.definition(name, first);
    if (parsed?.value && !(parsed.value.owners && parsed.value.owners.length > 0)) {
      problems.error(
        parsed.file,
        parsed.loaded?.locate(['name']) ?? START,
        'owners-required',
        `the first version of ${name} must list its owners`,
      );
    }
  }
  for (const parsed of parsedOverrides) {
    if (!parsed) continue;
    problems.add(parsed.problems);
    if (!view.has(parsed.name, parsed.version)) {
      problems.error(
        parsed.file,
        START,
        'override-orphan',
        `there is no ${definitionPath(parsed.name, parsed.version)} to override`,
      );
    }
    if (parsed.value?.dependencies && parsed.loaded)
      problems.add(dependencyProblems(parsed.file, parsed.loaded, parsed.name, parsed.value.dependencies, view));
  }
  for (const group of await allCycles(view)) {
    const [name, version] = splitKey(group[0]!);
    const parsed = await view.definition(name, version);
    const file = parsed?.file ?? displayPath(definitionPath(name, version));
    const members = new Set(group.map((k) => splitKey(k)[0]));
    const dependency = Object.keys(parsed?.value?.dependencies ?? {}).find((d) => members.has(d));
    const at = dependency && parsed?.loaded ? parsed.loaded.locate(['dependencies', dependency]) : START;
    const shown = group.length > 6 ? `${group.slice(0, 6).join(', ')}, … (${group.length} versions)` : group.join(', ');
    problems.error(file, at, 'dependency-cycle', `these versions depend on each other in a cycle: ${shown}`);
  }
  return {
    problems: problems.sorted(),
    operations: [],
    checkedFiles: definitions.length + overrides.length + (settings.present ? 1 : 0),
  };
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf('@');
  return [key.slice(0, at), key.slice(at + 1)];
}
