/** `index check`: the index branch compared byte for byte with a rebuild, its snapshot hashes and signature verified. */
import { sha256Hex } from '../../core/hash.js';
import { isCompanionFile } from '../../core/index-companions.js';
import { Git, REGISTRY_REPO_HINT } from '../git/repository.js';
import { listIndexFiles } from './index-branch.js';
import { parseSidecar } from '../stores/sidecar.js';
import { TEMP_FILE } from '../stores/fs-store.js';
import type { ReleaseStore } from '../stores/store.js';
import { rebuildIndex, type Difference, type RebuildOptions, type RebuiltIndex } from './rebuild.js';

export interface CheckOptions extends RebuildOptions {
  /** Cross-check every recorded line against these stores' `.sha256` sidecars. */
  stores?: ReleaseStore[];
}

export interface IndexCheckReport {
  ok: boolean;
  branch: string;
  tip: string;
  snapshotVersion: number;
  commit: string;
  filesChecked: number;
  differences: Difference[];
}

/** Rebuild and compare; every difference names the file (or asset) it is about. */
export async function checkIndex(options: CheckOptions): Promise<IndexCheckReport> {
  const rebuilt = await rebuildIndex({ ...options, signingKey: undefined });
  const differences: Difference[] = [...rebuilt.unreadable];
  compareTargets(rebuilt, differences);
  differences.push(...(await strayFiles(options.repoDir, rebuilt)));
  for (const store of options.stores ?? []) differences.push(...(await checkAssets(rebuilt, store)));
  differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    ok: differences.length === 0,
    branch: rebuilt.branch,
    tip: rebuilt.tip,
    snapshotVersion: rebuilt.info.version,
    commit: rebuilt.info.commit,
    filesChecked: rebuilt.branchTargets.size,
    differences,
  };
}

/** The branch's target files (verified against their bins when read) against the rebuild, byte for byte. */
function compareTargets(rebuilt: RebuiltIndex, out: Difference[]): void {
  const paths = new Set([...rebuilt.targets.keys(), ...rebuilt.branchTargets.keys()]);
  for (const path of paths) {
    const expected = rebuilt.targets.get(path);
    const actual = rebuilt.branchTargets.get(path);
    if (actual === undefined) out.push({ path, problem: 'missing from the index (the rebuild has it)' });
    else if (expected === undefined)
      out.push({ path, problem: 'in the index but not in the rebuild (no version of main leads to it)' });
    else if (!expected.equals(actual))
      out.push({ path, problem: `differs from the rebuild ${firstDifference(expected, actual)}` });
  }
}

function firstDifference(expected: Buffer, actual: Buffer): string {
  const a = expected.toString('utf8').split('\n');
  const b = actual.toString('utf8').split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `at line ${i + 1}: expected ${JSON.stringify((a[i] ?? '(end of file)').slice(0, 160))}, found ${JSON.stringify((b[i] ?? '(end of file)').slice(0, 160))}`;
  }
  return '';
}

/**
 * Files on the branch that are neither the current generation's nor replaced ones waiting for removal
 * (retired.txt), nor the unsigned files the branch carries beside the index (download counts, the website).
 */
async function strayFiles(repoDir: string, rebuilt: RebuiltIndex): Promise<Difference[]> {
  const git = new Git(repoDir, { hint: REGISTRY_REPO_HINT });
  try {
    const expected = new Set(rebuilt.liveFiles);
    const out: Difference[] = [];
    for (const path of (await listIndexFiles(git, rebuilt.tip)).keys())
      if (!expected.has(path) && !isCompanionFile(path))
        out.push({ path, problem: 'not a file of the index (neither the current generation nor in retired.txt)' });
    return out;
  } finally {
    git.close();
  }
}

/**
 * Each published line's sidecar must name its sha256 (without sidecars, its tarball must be there and hash to
 * it); an unpublished line's tarball must be gone.
 */
export async function checkAssets(
  rebuilt: Pick<RebuiltIndex, 'recorded' | 'sidecars'>,
  store: ReleaseStore,
): Promise<Difference[]> {
  const out: Difference[] = [];
  for (const line of rebuilt.recorded.values()) {
    const where = `${store.spec} ${line.asset}`;
    if (line.unpublished !== undefined) {
      if ((await store.get(line.asset)) !== undefined)
        out.push({
          path: where,
          problem: `${line.name}@${line.version} is unpublished but its tarball is still in the store`,
        });
      continue;
    }
    const sidecar = await store.get(`${line.asset}.sha256`);
    if (sidecar === undefined && rebuilt.sidecars === false) {
      const tarball = await store.get(line.asset);
      if (tarball === undefined)
        out.push({ path: where, problem: `missing from the store (${line.name}@${line.version})` });
      else if (sha256Hex(tarball) !== line.sha256)
        out.push({ path: where, problem: `has sha256 ${sha256Hex(tarball)} but the index records ${line.sha256}` });
      continue;
    }
    if (sidecar === undefined) {
      out.push({ path: `${where}.sha256`, problem: `missing from the store (${line.name}@${line.version})` });
      continue;
    }
    try {
      const parsed = parseSidecar(sidecar, `${where}.sha256`);
      if (parsed.sha256 !== line.sha256)
        out.push({
          path: `${where}.sha256`,
          problem: `names sha256 ${parsed.sha256} but the index records ${line.sha256}`,
        });
    } catch (error) {
      out.push({ path: `${where}.sha256`, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  if (store.list) {
    const known = new Set([...rebuilt.recorded.values()].flatMap((l) => [l.asset, `${l.asset}.sha256`]));
    for (const path of await store.list()) {
      if (known.has(path)) continue;
      out.push({
        path: `${store.spec} ${path}`,
        problem: TEMP_FILE.test(path.slice(path.lastIndexOf('/') + 1))
          ? 'a temporary file a killed run left (the next write to that release removes it once it is an hour old)'
          : 'not an asset of any version in the index: remove it, or find out who put it there',
      });
    }
  }
  return out;
}
