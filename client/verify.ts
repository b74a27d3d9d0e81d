/** `granary verify`: download every asset of a registry (or a lockfile) and check its size and SHA-256. */
import pLimit from 'p-limit';
import { GranaryError, IntegrityError } from '../core/errors.js';
import { hexFromIntegrity } from '../core/hash.js';
import { DownloadError } from './fetch/download-error.js';
import { DEFAULT_JOBS } from './defaults.js';
import { readVerified, type ExpectedAsset, type ReadOptions } from './fetch/read-verified.js';
import type { Lockfile } from './lockfile.js';
import { silentProgress, type Progress } from './progress.js';
import type { Registry } from './types.js';

/** Parallel downloads, download settings and progress of a verification. */
export interface VerifyOptions {
  jobs?: number;
  read?: ReadOptions;
  progress?: Progress;
}

export interface AssetFinding {
  name: string;
  version: string;
  location: string;
  /** `mismatch`: wrong size or hash; `missing`: not there; `error`: could not be checked (network, bad index line). */
  status: 'mismatch' | 'missing' | 'error';
  message: string;
}

/** How many assets were checked and passed, and each one that did not. */
export interface VerifyReport {
  checked: number;
  /** Assets whose size and hash matched. */
  passed: number;
  problems: AssetFinding[];
}

interface Item extends ExpectedAsset {
  name: string;
  version: string;
  /** A problem found before downloading (e.g. an index line at odds with itself). */
  problem?: string;
}

/** Check every asset the registry lists (all lines that are not unpublished). */
export async function verifyRegistry(registry: Registry, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { packages } = await registry.packages();
  const limit = pLimit(options.jobs ?? DEFAULT_JOBS);
  const perPackage = await Promise.all(packages.map((p) => limit(() => registry.lines(p.name))));
  const items: Item[] = [];
  const locate = await registry.assets();
  for (const line of perPackage.flat()) {
    if (line.unpublished) continue;
    const label = `${line.name}@${line.version}`;
    let location: string;
    try {
      location = locate(line.asset);
    } catch (error) {
      items.push({
        name: line.name,
        version: line.version,
        label,
        location: line.asset,
        sha256: line.sha256,
        size: line.size,
        problem: (error as Error).message,
      });
      continue;
    }
    const problem =
      hexFromIntegrity(line.integrity) === line.sha256
        ? undefined
        : "the index line's integrity and sha256 name different digests";
    items.push({
      name: line.name,
      version: line.version,
      label,
      location,
      sha256: line.sha256,
      size: line.size,
      ...(problem ? { problem } : {}),
    });
  }
  return check(items, options);
}

/** Check every asset a lockfile pins; `locate` gives each one's URL or path (a registry's asset base, `--assets`, or the lockfile's `url`). */
export async function verifyLockfile(
  lock: Lockfile,
  locate: (name: string, asset: string, url: string) => string,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const items: Item[] = Object.entries(lock.packages).map(([name, p]) => {
    const label = `${name}@${p.version}`;
    try {
      return {
        name,
        version: p.version,
        label,
        location: locate(name, p.asset, p.url),
        sha256: p.sha256,
        size: p.size,
      };
    } catch (error) {
      return {
        name,
        version: p.version,
        label,
        location: p.url,
        sha256: p.sha256,
        size: p.size,
        problem: (error as Error).message,
      };
    }
  });
  return check(items, options);
}

async function check(items: Item[], options: VerifyOptions): Promise<VerifyReport> {
  const limit = pLimit(options.jobs ?? DEFAULT_JOBS);
  const progress = options.progress ?? silentProgress;
  const problems: AssetFinding[] = [];
  const discard = { write: () => undefined, reset: () => undefined };
  progress.start(items.length, 'verifying');
  try {
    await Promise.all(
      items.map((item) =>
        limit(async () => {
          const finding = (status: AssetFinding['status'], message: string): void =>
            void problems.push({ name: item.name, version: item.version, location: item.location, status, message });
          if (item.problem) finding('error', item.problem);
          else {
            try {
              await readVerified(item, discard, options.read);
            } catch (error) {
              if (error instanceof IntegrityError) finding('mismatch', error.message);
              else if (error instanceof DownloadError && error.missing) finding('missing', error.message);
              else if (error instanceof GranaryError) finding('error', error.message);
              else throw error;
            }
          }
          progress.advance(item.label);
        }),
      ),
    );
  } finally {
    progress.stop();
  }
  problems.sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
  return { checked: items.length, passed: items.length - problems.length, problems };
}
