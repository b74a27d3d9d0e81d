/** The curator's state machine: main's commits applied in order to the index, shared by curate and `index build`. */
import {
  AssetConflictError,
  ConcurrencyError,
  GranaryError,
  InputError,
  StoreError,
  UsageError,
} from '../../core/errors.js';
import { REGISTRY_FILE, type RegistryConfig } from '../../core/registry-config.js';
import type { Override, PackageDefinition } from '../../schema/types.js';
import type { IndexState } from './index-state.js';
import {
  effectiveValues,
  firstLine,
  reviseLine,
  unpublishLine,
  type Artifact,
  type RevisableValues,
} from './line-rules.js';
import type { BlobReader, Git } from '../git/repository.js';
import type { FileChange } from '../git/diff-tree.js';
import { changesOf, type MainCommit } from '../git/history.js';
import { classifyPath, definitionPath, overridePath } from '../registry/layout.js';
import {
  parseDefinition,
  parseOverride,
  parseRegistrySettings,
  validSettings,
  validValue,
  type ReaderSettings,
} from '../registry/parse.js';

export interface PublishContext {
  override: Override | undefined;
  registry: RegistryConfig;
  commit: MainCommit;
  file: string;
}

/** Where a version's tarball comes from: packing and uploading (curate), or the recorded hashes (`index build`). */
export interface Publisher {
  publish(definition: PackageDefinition, context: PublishContext): Promise<Artifact & { urls: string[] }>;
  unpublish(name: string, version: string): Promise<void>;
}

export interface Refusal {
  commit: string;
  file: string;
  message: string;
}

export interface ReplayResult {
  published: Array<Artifact & { name: string; version: string; urls: string[] }>;
  revised: Array<{ name: string; version: string; revision: number }>;
  unpublished: Array<{ name: string; version: string }>;
  refused: Refusal[];
  /** registry.yaml as of the last commit applied. */
  registry: RegistryConfig;
  /** Whether any commit touched packages/, overrides/ or registry.yaml. */
  relevant: boolean;
}

export interface ReplayOptions {
  git: Git;
  reader: BlobReader;
  state: IndexState;
  commits: MainCommit[];
  /** registry.yaml as of the commit before the first one (undefined: read it from the first commit). */
  registry: RegistryConfig | undefined;
  publisher: Publisher;
  /**
   * The PR gate run again on each change against main just before it (curate passes it; `index build` does
   * not: what curate's gate let through is what the recorded hashes say was published). A change it refuses
   * is refused whole, and nothing of it is applied.
   */
  gate?: {
    judge(commit: MainCommit, changes: readonly FileChange[]): Promise<Refusal[]>;
    advance(changes: readonly FileChange[]): void;
    /** Who opened and approved the pull request of a change it judged; undefined when unknown. */
    madeBy?(commit: MainCommit): { by: string; approvedBy: string[] } | undefined;
  };
  log?: (line: string) => void;
}

/**
 * Whether a failure belongs to the version (refuse it and go on) rather than to the run (stop, so a rerun retries):
 * bad input, limits, unsafe archives and asset conflicts are the version's; a store or git outage is the run's.
 */
export function isRefusal(error: unknown): error is GranaryError {
  if (!(error instanceof GranaryError) || error.temporary) return false;
  if (error instanceof AssetConflictError) return true;
  return !(
    error instanceof StoreError ||
    error instanceof ConcurrencyError ||
    error instanceof UsageError ||
    error.code === 'git'
  );
}

function describe(error: GranaryError): string {
  return [error.message, error.where ? `(at ${error.where})` : '', error.hint ? `fix: ${error.hint}` : '']
    .filter(Boolean)
    .join(' ');
}

/** Apply `commits` to `state`; everything the PR gate should have refused is refused and reported, the rest goes on. */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { git, reader, state, publisher } = options;
  const log = options.log ?? (() => undefined);
  let registry = options.registry;
  const result: Omit<ReplayResult, 'registry'> = {
    published: [],
    revised: [],
    unpublished: [],
    refused: [],
    relevant: false,
  };
  let refusedHere = new Set<string>();
  const refuse = (commit: MainCommit, file: string, message: string) => {
    refusedHere.add(file);
    result.refused.push({ commit: commit.id, file, message });
    log(`refused ${file} (${commit.id.slice(0, 12)}): ${message}`);
  };
  const readBlob = async (id: string, file: string): Promise<Buffer> => {
    const bytes = await reader.read(id);
    if (bytes === undefined) throw new InputError('the file is not a readable blob', { where: file });
    return bytes;
  };

  for (const commit of options.commits) {
    const changes = await changesOf(git, commit);
    if (changes.length === 0) continue;
    result.relevant = true;
    refusedHere = new Set();
    const gateRefusals = (await options.gate?.judge(commit, changes)) ?? [];
    if (gateRefusals.length > 0) {
      for (const r of gateRefusals) refuse(commit, r.file, r.message);
      continue;
    }
    await applyChange(commit, changes);
    options.gate?.advance(changes.filter((c) => !refusedHere.has(c.path)));
  }
  if (registry === undefined) {
    throw new InputError('main has no registry.yaml in the commits curated', {
      where: REGISTRY_FILE,
      hint: 'add registry.yaml to main (see docs/operator-guide.md)',
    });
  }
  return { ...result, registry };

  /** One change applied to the index: registry.yaml, then unpublishes, publications and overrides. */
  async function applyChange(commit: MainCommit, changes: FileChange[]): Promise<void> {
    const registryChange = changes.find((c) => c.path === REGISTRY_FILE);
    if (registryChange !== undefined || registry === undefined) {
      const bytes =
        registryChange?.status === 'deleted' ? undefined : await reader.read(`${commit.id}:${REGISTRY_FILE}`);
      try {
        if (bytes === undefined)
          throw new InputError('registry.yaml is missing', {
            where: `${commit.id.slice(0, 12)}:${REGISTRY_FILE}`,
            hint: 'restore registry.yaml on main',
          });
        registry = validSettings(parseRegistrySettings(bytes));
      } catch (error) {
        if (registry === undefined || !(error instanceof GranaryError)) throw error;
        refuse(commit, REGISTRY_FILE, `${describe(error)}; the previous settings stay in force`);
      }
    }
    const settings = registry!;

    const definitions: Array<FileChange & { name: string; version: string }> = [];
    const overrides: Array<FileChange & { name: string; version: string }> = [];
    for (const change of changes) {
      const kind = classifyPath(change.path);
      if (kind.kind === 'registry' || kind.kind === 'placeholder' || kind.kind === 'outside') continue;
      if (kind.kind === 'misplaced') {
        if (change.status !== 'deleted') refuse(commit, change.path, kind.message);
        continue;
      }
      if (change.status !== 'deleted' && change.mode !== '100644' && change.mode !== '100755') {
        refuse(commit, change.path, 'a definition or override must be a regular file, not a symlink or submodule');
        continue;
      }
      (kind.kind === 'definition' ? definitions : overrides).push({
        ...change,
        name: kind.name,
        version: kind.version,
      });
    }
    const touchedOverride = new Map(
      overrides.filter((o) => o.status !== 'deleted').map((o) => [`${o.name}@${o.version}`, o]),
    );
    const publishedHere = new Set<string>();

    // Unpublish first: a commit that deletes and adds is two operations, and order inside a commit is by kind.
    for (const change of definitions.filter((d) => d.status === 'deleted')) {
      const line = await state.line(change.name, change.version);
      if (line === undefined || line.unpublished !== undefined) {
        log(`nothing to unpublish for ${change.name}@${change.version}`);
        continue;
      }
      let reason = reasonFromMessage(commit.message, commit.id);
      const override = touchedOverride.get(`${change.name}@${change.version}`);
      if (override !== undefined) {
        try {
          reason = validValue(
            parseOverride(await readBlob(override.blob, override.path), override.path, settings),
          ).reason;
        } catch {
          // an unreadable override is refused below; the commit message still explains the unpublish
        }
      }
      await publisher.unpublish(change.name, change.version);
      await state.setLine(unpublishLine(line, reason, commit.time), commit.time);
      result.unpublished.push({ name: change.name, version: change.version });
      log(`unpublished ${change.name}@${change.version}: ${reason}`);
    }

    for (const change of definitions.filter((d) => d.status !== 'deleted')) {
      const key = `${change.name}@${change.version}`;
      const existing = await state.line(change.name, change.version);
      if (existing !== undefined) {
        refuse(
          commit,
          change.path,
          existing.unpublished !== undefined
            ? `${key} was unpublished; a version number is never reused (publish a new version)`
            : `${key} is already published and its definition is immutable; the change is ignored (use an override to fix bounds, yank or deprecate)`,
        );
        continue;
      }
      try {
        // The one reader the gate uses: whatever the gate refuses in a definition is refused here too.
        const definition = validValue(parseDefinition(await readBlob(change.blob, change.path), change.path, settings));
        let override: Override | undefined;
        const overrideBytes = await reader.read(`${commit.id}:${overridePath(change.name, change.version)}`);
        if (overrideBytes !== undefined) {
          try {
            override = validValue(parseOverride(overrideBytes, overridePath(change.name, change.version), settings));
          } catch (error) {
            if (!isRefusal(error)) throw error;
            refuse(
              commit,
              overridePath(change.name, change.version),
              `${describe(error)}; ${key} is published without it`,
            );
          }
        }
        const artifact = await publisher.publish(definition, {
          override,
          registry: settings,
          commit,
          file: change.path,
        });
        await state.setLine(firstLine(definition, override, artifact, commit.time), commit.time, definition);
        publishedHere.add(key);
        result.published.push({ ...artifact, name: change.name, version: change.version });
        log(`published ${key} (${artifact.sha256})`);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refuse(commit, change.path, describe(error));
      }
    }

    for (const change of overrides) {
      const key = `${change.name}@${change.version}`;
      if (publishedHere.has(key)) continue;
      const line = await state.line(change.name, change.version);
      if (line === undefined || line.unpublished !== undefined) {
        log(`override of ${key} waits: the version is not published`);
        if (change.status !== 'deleted') {
          try {
            validValue(parseOverride(await readBlob(change.blob, change.path), change.path, settings));
          } catch (error) {
            if (!isRefusal(error)) throw error;
            refuse(commit, change.path, describe(error));
          }
        }
        continue;
      }
      try {
        let values: RevisableValues;
        let reason: string;
        if (change.status === 'deleted') {
          const bytes = await reader.read(`${commit.id}:${definitionPath(change.name, change.version)}`);
          if (bytes === undefined) continue;
          values = effectiveValues(
            publishedDefinition(bytes, definitionPath(change.name, change.version), settings),
            undefined,
          );
          reason = `override removed: ${reasonFromMessage(commit.message, commit.id)}`;
        } else {
          const override = validValue(parseOverride(await readBlob(change.blob, change.path), change.path, settings));
          // Bounds the override does not mention stay as published: the definition at publication is the base.
          const base = await baseDependencies(
            reader,
            commit,
            change,
            line.history?.[0]?.dependencies ?? line.dependencies,
            settings,
          );
          values = effectiveValues({ dependencies: base }, override);
          reason = override.reason;
        }
        const next = reviseLine(line, values, reason, commit.time, options.gate?.madeBy?.(commit));
        if (next === undefined) {
          log(`override of ${key} changes nothing in the index`);
          continue;
        }
        await state.setLine(next, commit.time);
        result.revised.push({ name: change.name, version: change.version, revision: next.revision });
        log(`revised ${key} to revision ${next.revision}`);
      } catch (error) {
        if (!isRefusal(error)) throw error;
        refuse(commit, change.path, describe(error));
      }
    }
  }
}

/** The dependencies of the definition as published (read from main), falling back to the line's first revision. */
async function baseDependencies(
  reader: BlobReader,
  commit: MainCommit,
  change: { name: string; version: string },
  fallback: Record<string, string>,
  settings: RegistryConfig,
): Promise<Record<string, string>> {
  const path = definitionPath(change.name, change.version);
  const bytes = await reader.read(`${commit.id}:${path}`);
  if (bytes === undefined) return fallback;
  try {
    return publishedDefinition(bytes, path, settings).dependencies ?? {};
  } catch {
    return fallback;
  }
}

/**
 * A definition published earlier, read again for its values: the limits and allowed sources of registry.yaml
 * may have changed since, so only its contents must still make sense.
 */
function publishedDefinition(bytes: Buffer, path: string, settings: ReaderSettings): PackageDefinition {
  const limits = { maxDefinitionBytes: Math.max(settings.limits.maxDefinitionBytes, bytes.length) };
  const parsed = parseDefinition(bytes, path, { limits });
  return parsed.value ?? validValue(parsed);
}

/** The reason recorded for a change made by a commit: its first meaningful message line. */
export function reasonFromMessage(message: string, commit: string): string {
  const line = message
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^Merge (pull request|branch|remote-tracking branch) /.test(l));
  const text = line ?? `changed in ${commit.slice(0, 12)}`;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
