/** The packages of one tree: versions known from the listing, files parsed on demand and cached. */
import semver from 'semver';
import type { RegistryConfig } from '../../core/registry-config.js';
import { rangeMatcher } from '../../core/ranges.js';
import { compareVersions } from '../../core/versions.js';
import type { Dependencies, PackageDefinition } from '../../schema/types.js';
import { classifyPath, definitionPath, OVERRIDES_DIR, overridePath, PACKAGES_DIR } from '../registry/layout.js';
import type { ParsedDefinition, ParsedOverride } from '../registry/parse.js';
import { readDefinition, readOverride } from '../registry/read.js';
import type { RegistryTree, TreeEntry } from '../registry/types.js';

/** The effective dependencies of name@version when known without reading its files, else undefined. */
export type KnownDependencies = (name: string, version: string) => Promise<Dependencies | undefined>;

export class RegistryView {
  private readonly byName = new Map<string, string[]>();
  private readonly entries = new Map<string, TreeEntry>();
  private readonly definitions = new Map<string, Promise<ParsedDefinition>>();
  private readonly overrides = new Map<string, Promise<ParsedOverride | undefined>>();
  private readonly matches = new Map<string, string[]>();
  private readonly semvers = new Map<string, semver.SemVer>();

  private constructor(
    readonly tree: RegistryTree,
    readonly config: RegistryConfig,
    listing: TreeEntry[],
    private readonly known: KnownDependencies | undefined,
  ) {
    for (const entry of listing) {
      this.entries.set(entry.path, entry);
      if (entry.kind !== 'file') continue;
      const info = classifyPath(entry.path);
      if (info.kind !== 'definition') continue;
      const list = this.byName.get(info.name);
      if (list) list.push(info.version);
      else this.byName.set(info.name, [info.version]);
    }
    for (const list of this.byName.values()) list.sort(compareVersions);
  }

  /**
   * List `packages/` and `overrides/` of `tree` once. `known` answers the effective dependencies of versions
   * without reading their files (the index's lines), where it knows them.
   */
  static async open(tree: RegistryTree, config: RegistryConfig, known?: KnownDependencies): Promise<RegistryView> {
    const [packages, overrides] = await Promise.all([tree.list(`${PACKAGES_DIR}/`), tree.list(`${OVERRIDES_DIR}/`)]);
    return new RegistryView(tree, config, [...packages, ...overrides], known);
  }

  /** Every package name with at least one definition. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** The versions of `name`, ascending. */
  versions(name: string): string[] {
    return this.byName.get(name) ?? [];
  }

  has(name: string, version: string): boolean {
    return this.entries.get(definitionPath(name, version))?.kind === 'file';
  }

  hasOverride(name: string, version: string): boolean {
    return this.entries.get(overridePath(name, version))?.kind === 'file';
  }

  /** The versions of `name` that `range` matches (prereleases only when the range names one). */
  matching(name: string, range: string): string[] {
    const key = `${name}\0${range}`;
    let hit = this.matches.get(key);
    if (!hit) {
      const matches = rangeMatcher(range);
      hit = matches ? this.versions(name).filter((v) => matches(this.semver(v))) : [];
      this.matches.set(key, hit);
    }
    return hit;
  }

  private semver(version: string): semver.SemVer | string {
    let parsed = this.semvers.get(version);
    if (!parsed) {
      parsed = new semver.SemVer(version);
      this.semvers.set(version, parsed);
    }
    return parsed;
  }

  /** The parsed definition of name@version (undefined when the tree has none). */
  definition(name: string, version: string): Promise<ParsedDefinition> | undefined {
    const path = definitionPath(name, version);
    const entry = this.entries.get(path);
    if (entry?.kind !== 'file') return undefined;
    let parsed = this.definitions.get(path);
    if (!parsed) {
      parsed = readDefinition(this.tree, { path, size: entry.size }, this.config);
      this.definitions.set(path, parsed);
    }
    return parsed;
  }

  /** The parsed override of name@version, if there is one. */
  override(name: string, version: string): Promise<ParsedOverride | undefined> {
    const path = overridePath(name, version);
    const entry = this.entries.get(path);
    if (entry?.kind !== 'file') return Promise.resolve(undefined);
    let parsed = this.overrides.get(path);
    if (!parsed) {
      parsed = readOverride(this.tree, { path, size: entry.size }, this.config);
      this.overrides.set(path, parsed);
    }
    return parsed;
  }

  /** The dependencies that apply to name@version: the override's when it replaces them, else the definition's. */
  async effectiveDependencies(name: string, version: string): Promise<Dependencies> {
    const known = await this.known?.(name, version);
    if (known !== undefined) return known;
    const override = await this.override(name, version);
    if (override?.value?.dependencies) return override.value.dependencies;
    const definition = await this.definition(name, version);
    return definition?.value?.dependencies ?? {};
  }

  /** Owners of a package: those of its highest version that names any; lower-cased logins. */
  async owners(name: string): Promise<string[]> {
    const versions = this.versions(name);
    for (let i = versions.length - 1; i >= 0; i--) {
      const owners = (await this.definition(name, versions[i]!))?.value?.owners;
      if (owners && owners.length > 0) return owners.map((o) => o.toLowerCase());
    }
    return [];
  }

  /** The definition of the highest version of `name`. */
  async latest(name: string): Promise<PackageDefinition | undefined> {
    const versions = this.versions(name);
    const top = versions[versions.length - 1];
    return top === undefined ? undefined : (await this.definition(name, top))?.value;
  }
}
