/** The registry's limits on what a tarball may hold, checked from sizes alone before any content is read. */
import type { RegistryConfig } from '../../core/registry-config.js';
import { formatBytes } from '../../core/format-bytes.js';
import { PackLimitError } from './limit-error.js';

export interface SizedPath {
  /** The path inside the tarball (with the `<name>-<version>/` prefix). */
  tarPath: string;
  size: number;
}

export interface UnpackedLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxPathLength: number;
  maxUnpackedBytes: number;
}

/** The limits the packer enforces; the unpacked total shares the fetch budget (`maxFetchBytes`). */
export function unpackedLimits(registry: RegistryConfig): UnpackedLimits {
  const { maxFiles, maxFileBytes, maxPathLength, maxFetchBytes } = registry.limits;
  return { maxFiles, maxFileBytes, maxPathLength, maxUnpackedBytes: maxFetchBytes };
}

const SHOWN = 5;

/** Throw a PackLimitError for the first limit `files` break. */
export function checkLimits(files: SizedPath[], limits: UnpackedLimits, where: string): void {
  const hint = 'leave files out with files.exclude (or files.include), or split the package';
  if (files.length > limits.maxFiles) {
    throw new PackLimitError(
      `the package has ${files.length} files, more than limits.maxFiles (${limits.maxFiles})`,
      'maxFiles',
      busiestDirectories(files),
      { where, hint },
    );
  }
  const big = files.filter((f) => f.size > limits.maxFileBytes);
  if (big.length > 0) {
    throw new PackLimitError(
      `${big.length} file(s) are larger than limits.maxFileBytes (${formatBytes(limits.maxFileBytes)})`,
      'maxFileBytes',
      biggest(big),
      { where, hint },
    );
  }
  const long = files.filter((f) => Buffer.byteLength(f.tarPath) > limits.maxPathLength);
  if (long.length > 0) {
    const shown = long
      .map((f) => ({ f, n: Buffer.byteLength(f.tarPath) }))
      .sort((a, b) => b.n - a.n)
      .slice(0, SHOWN)
      .map(({ f, n }) => `${f.tarPath} (${n} bytes)`);
    throw new PackLimitError(
      `${long.length} path(s) are longer than limits.maxPathLength (${limits.maxPathLength} bytes, counting the ${'<name>-<version>/'} prefix)`,
      'maxPathLength',
      shown,
      { where, hint: 'shorten the paths, or leave them out with files.exclude' },
    );
  }
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.maxUnpackedBytes) {
    throw new PackLimitError(
      `the files add up to ${formatBytes(total)}, more than the unpacked limit (limits.maxFetchBytes, ${formatBytes(limits.maxUnpackedBytes)})`,
      'maxUnpackedBytes',
      biggest(files),
      { where, hint },
    );
  }
}

/** The largest files, for limit messages. */
export function biggest(files: SizedPath[]): string[] {
  return [...files]
    .sort((a, b) => b.size - a.size || (a.tarPath < b.tarPath ? -1 : 1))
    .slice(0, SHOWN)
    .map((f) => `${f.tarPath} (${formatBytes(f.size)})`);
}

function busiestDirectories(files: SizedPath[]): string[] {
  const counts = new Map<string, number>();
  for (const f of files) {
    const dir = f.tarPath.slice(0, f.tarPath.lastIndexOf('/') + 1);
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, SHOWN)
    .map(([dir, n]) => `${dir} (${n} files)`);
}
