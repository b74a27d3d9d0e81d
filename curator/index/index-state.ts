/** The index being curated: package files loaded only when touched, changes tracked, changed files rendered. */
import { sha256Hex } from '../../core/hash.js';
import type { CurrentGeneration } from '../../core/tuf/generation.js';
import { indexPath } from '../../core/index-path.js';
import { parseIndexFile, serializeIndexFile } from '../../core/index-line.js';
import type { IndexConfig, IndexLine, PackageDefinition, PackageSummary } from '../../schema/types.js';
import {
  CONFIG_FILE,
  PACKAGES_FILE,
  packagesFileLines,
  packagesFileText,
  parseSummaryLine,
  serializeConfig,
  serializePackages,
  summaryLine,
} from './index-files.js';
import { summarize } from './summary.js';

/** Where the previous index comes from: the hash of a target file (from its bin) and a reader for the ones needed. */
export interface PreviousIndex {
  /** SHA-256 of a target file (`config.json`, `packages.json`, a package file), undefined when absent. */
  hash(path: string): Promise<string | undefined>;
  read(path: string): Promise<string | undefined>;
}

export const EMPTY_SOURCE: PreviousIndex = { hash: async () => undefined, read: async () => undefined };

/** The previous index a TUF generation holds: every file read is the one its bin lists (`fail` says otherwise). */
export function generationSource(generation: CurrentGeneration, fail: (file: string) => Error): PreviousIndex {
  return {
    hash: async (path) => (await generation.target(path))?.hashes.sha256,
    read: async (path) => (await generation.file(path, fail))?.toString('utf8'),
  };
}

/**
 * The target files that differ from `previous`: the files of `packages`, packages.json from `summaries`
 * (its text, or the summaries; left as it is when undefined), and config.json. Every index target file is written here.
 */
export async function renderIndexFiles(
  previous: PreviousIndex,
  packages: Iterable<readonly [name: string, lines: Iterable<IndexLine>]>,
  summaries: Iterable<PackageSummary> | string | undefined,
  config: IndexConfig,
): Promise<Map<string, Buffer>> {
  const changed = new Map<string, Buffer>();
  const put = async (path: string, text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    if ((await previous.hash(path)) !== sha256Hex(bytes)) changed.set(path, bytes);
  };
  for (const [name, lines] of packages) await put(indexPath(name), serializeIndexFile(lines));
  if (summaries !== undefined)
    await put(PACKAGES_FILE, typeof summaries === 'string' ? summaries : serializePackages(summaries));
  await put(CONFIG_FILE, serializeConfig(config));
  return changed;
}

export class IndexState {
  private readonly packages = new Map<string, Map<string, IndexLine>>();
  private readonly dirty = new Set<string>();
  /** packages.json as it was: each summary's line, by name, parsed only when its package changes. */
  private previousSummaries: Map<string, string> | undefined;
  /** Summaries changed by this run. */
  private readonly summaries = new Map<string, PackageSummary>();

  constructor(private readonly source: PreviousIndex = EMPTY_SOURCE) {}

  /** Every line of `name`, by version (loaded from the previous index on first use). */
  async lines(name: string): Promise<Map<string, IndexLine>> {
    let lines = this.packages.get(name);
    if (lines === undefined) {
      const path = indexPath(name);
      const text = await this.source.read(path);
      lines = new Map((text === undefined ? [] : parseIndexFile(text, path, name)).map((l) => [l.version, l]));
      this.packages.set(name, lines);
    }
    return lines;
  }

  async line(name: string, version: string): Promise<IndexLine | undefined> {
    return (await this.lines(name)).get(version);
  }

  /** Put a new or changed line; `published` is the definition when this is a publication. */
  async setLine(line: IndexLine, at: string, published?: PackageDefinition): Promise<void> {
    const lines = await this.lines(line.name);
    lines.set(line.version, line);
    this.dirty.add(line.name);
    this.summaries.set(line.name, summarize(await this.summary(line.name), lines.values(), at, published));
  }

  /** The summary of `name`: as changed by this run, else as packages.json had it. */
  private async summary(name: string): Promise<PackageSummary | undefined> {
    const changed = this.summaries.get(name);
    if (changed !== undefined) return changed;
    const line = (await this.loadPreviousSummaries()).get(name);
    return line === undefined ? undefined : parseSummaryLine(line, name);
  }

  /** Names of the packages changed so far. */
  touched(): string[] {
    return [...this.dirty].sort();
  }

  /**
   * Render the changed target files against the previous index. packages.json is spliced: the lines of
   * unchanged packages are kept as they were, so a run that touches one package serializes one summary.
   */
  async render(config: IndexConfig): Promise<Map<string, Buffer>> {
    let packagesText: string | undefined;
    if (this.summaries.size > 0 || (await this.source.hash(PACKAGES_FILE)) === undefined) {
      const lines = new Map(await this.loadPreviousSummaries());
      for (const [name, summary] of this.summaries) lines.set(name, summaryLine(summary));
      packagesText = packagesFileText(lines);
    }
    const packages = [...this.dirty].sort().map((name) => [name, this.packages.get(name)!.values()] as const);
    return renderIndexFiles(this.source, packages, packagesText, config);
  }

  private async loadPreviousSummaries(): Promise<Map<string, string>> {
    if (this.previousSummaries === undefined) {
      const text = await this.source.read(PACKAGES_FILE);
      this.previousSummaries = text === undefined ? new Map() : packagesFileLines(text);
    }
    return this.previousSummaries;
  }
}
