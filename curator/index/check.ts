/** `index check`: the index branch compared byte for byte with a rebuild, its snapshot hashes and signature verified. */
import { sha256Hex } from '../../core/hash.js';
import { verifyBytes } from '../../core/signing.js';
import { parseSidecar } from '../stores/sidecar.js';
import { TEMP_FILE } from '../stores/fs-store.js';
import type { ReleaseStore } from '../stores/store.js';
import { SIGNATURE_FILE, SNAPSHOT_FILE } from './index-files.js';
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
  compareFiles(rebuilt, differences);
  checkSnapshotHashes(rebuilt, differences);
  checkSignature(rebuilt, differences);
  for (const store of options.stores ?? []) differences.push(...(await checkAssets(rebuilt, store)));
  differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    ok: differences.length === 0,
    branch: rebuilt.branch,
    tip: rebuilt.tip,
    snapshotVersion: rebuilt.snapshot.version,
    commit: rebuilt.snapshot.commit,
    filesChecked: rebuilt.branchFiles.size,
    differences,
  };
}

function compareFiles(rebuilt: RebuiltIndex, out: Difference[]): void {
  const paths = new Set([...rebuilt.files.keys(), ...rebuilt.branchFiles.keys()]);
  paths.delete(SIGNATURE_FILE);
  for (const path of paths) {
    const expected = rebuilt.files.get(path);
    const actual = rebuilt.branchFiles.get(path);
    if (actual === undefined) out.push({ path, problem: 'missing from the index branch (the rebuild has it)' });
    else if (expected === undefined)
      out.push({ path, problem: 'on the index branch but not in the rebuild (no version of main leads to it)' });
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

function checkSnapshotHashes(rebuilt: RebuiltIndex, out: Difference[]): void {
  const recordedSnapshot = rebuilt.branchFiles.get(SNAPSHOT_FILE);
  if (recordedSnapshot === undefined) return;
  let files: Record<string, string>;
  try {
    files = (JSON.parse(recordedSnapshot.toString('utf8')) as { files: Record<string, string> }).files ?? {};
  } catch {
    return; // already reported: it differs from the rebuild
  }
  for (const [path, hash] of Object.entries(files)) {
    const bytes = rebuilt.branchFiles.get(path);
    if (bytes === undefined) out.push({ path, problem: 'listed in snapshot.json but absent from the index branch' });
    else if (sha256Hex(bytes) !== hash)
      out.push({ path, problem: `sha256 ${sha256Hex(bytes)} does not match snapshot.json (${hash})` });
  }
  for (const path of rebuilt.branchFiles.keys()) {
    if (path !== SNAPSHOT_FILE && path !== SIGNATURE_FILE && files[path] === undefined)
      out.push({ path, problem: 'not listed in snapshot.json' });
  }
}

function checkSignature(rebuilt: RebuiltIndex, out: Difference[]): void {
  const snapshot = rebuilt.branchFiles.get(SNAPSHOT_FILE);
  const signature = rebuilt.branchFiles.get(SIGNATURE_FILE);
  if (rebuilt.publicKey === undefined) {
    if (signature !== undefined)
      out.push({
        path: SIGNATURE_FILE,
        problem: 'a signature is present but registry.yaml has no publicKey to verify it with',
      });
    return;
  }
  if (signature === undefined)
    out.push({
      path: SIGNATURE_FILE,
      problem: `missing: registry.yaml has publicKey ${rebuilt.publicKey}, so snapshot.json must be signed`,
    });
  else if (snapshot === undefined || !verifyBytes(snapshot, signature.toString('utf8'), rebuilt.publicKey))
    out.push({
      path: SIGNATURE_FILE,
      problem: `does not verify against registry.yaml's publicKey ${rebuilt.publicKey}`,
    });
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
