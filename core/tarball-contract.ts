/**
 * The tarball contract: what a package tarball may hold. The packer refuses to build anything else and
 * the client refuses to extract anything else, with these same functions, so whatever a curator
 * publishes every client installs, on Linux, macOS and Windows file systems alike.
 */

/** Caps on what one tarball may expand to. */
export interface TarballLimits {
  /** Entries (files and directories, the top-level directory included) in one tarball. */
  maxEntries: number;
  /** Bytes of the uncompressed tar stream (headers and padding included). */
  maxBytes: number;
  /** Uncompressed / compressed size, checked once the output passes `ratioFloorBytes`. */
  maxRatio: number;
  /** Below this much output the ratio is not checked: tiny tarballs compress extremely well. */
  ratioFloorBytes: number;
}

/**
 * Sized for source packages: registries cap files at 10,000 and tarballs at 50 MiB; source compresses
 * 3–30x; gzip bombs reach ~1000x.
 */
export const TARBALL_LIMITS: TarballLimits = {
  maxEntries: 20_000,
  maxBytes: 512 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Names Windows gives to devices, with or without an extension (`CON`, `aux.txt`, `COM1`, `lpt¹`). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;

/** Why one file or directory name cannot be written the same on every system, or undefined. */
export function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'has an empty segment in its path';
  if (segment === '.' || segment === '..') return `has a ${JSON.stringify(segment)} segment in its path`;
  if (CONTROL.test(segment)) return 'has a control character in its path';
  if (segment.includes('\\')) return 'has a backslash in its path';
  if (segment.includes('\uFFFD')) return 'has a name that is not valid UTF-8';
  if (WINDOWS_FORBIDDEN.test(segment)) return 'has a character Windows does not allow in names (< > : " | ? *)';
  if (WINDOWS_DEVICE.test(segment)) return `has a name Windows reserves for a device (${JSON.stringify(segment)})`;
  if (/[. ]$/.test(segment)) return 'has a name ending in a dot or a space, which Windows drops';
  return undefined;
}

/** Why a path relative to the package's top-level directory is refused, or undefined. */
export function relativePathProblem(path: string): string | undefined {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'has an absolute path';
  for (const segment of path.split('/')) {
    const problem = segmentProblem(segment);
    if (problem) return problem;
  }
  return undefined;
}

/** The name a path has on a case-insensitive, Unicode-normalizing file system (macOS, Windows). */
export function foldedPath(path: string): string {
  return path.normalize('NFC').toLowerCase().normalize('NFC');
}

interface Seen {
  path: string;
  kind: 'file' | 'directory';
  explicit: boolean;
}

/**
 * The files and directories of one tarball, in the order they come: `add` says why an entry conflicts
 * with the ones before it (twice, a file where a directory is, or two names one file system would see
 * as the same), or undefined. Directories above an entry count as present.
 */
export class TarballTree {
  private readonly seen = new Map<string, Seen>();

  add(path: string, kind: 'file' | 'directory'): string | undefined {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const ancestor = segments.slice(0, i).join('/');
      const problem = this.note(ancestor, 'directory', false);
      if (problem) return problem === 'is a file' ? `is inside ${JSON.stringify(ancestor)}, which is a file` : problem;
    }
    const problem = this.note(path, kind, true);
    if (problem === 'is a file') return 'is a directory with the name of a file';
    if (problem === 'is a directory') return 'is a file with the name of a directory';
    return problem;
  }

  private note(path: string, kind: 'file' | 'directory', explicit: boolean): string | undefined {
    const key = foldedPath(path);
    const seen = this.seen.get(key);
    if (!seen) {
      this.seen.set(key, { path, kind, explicit });
      return undefined;
    }
    if (seen.path !== path) {
      return `collides with ${JSON.stringify(seen.path)} on case-insensitive or Unicode-normalizing file systems`;
    }
    if (seen.kind !== kind) return `is a ${seen.kind}`;
    if (explicit && seen.explicit) return 'appears twice';
    if (explicit) seen.explicit = true;
    return undefined;
  }
}

/** Why a tarball of `compressed` bytes that unpacks to `unpacked` bytes is refused, or undefined. */
export function expansionProblem(unpacked: number, compressed: number, limits: TarballLimits): string | undefined {
  if (unpacked > limits.maxBytes) return `unpacks to more than the cap of ${limits.maxBytes} bytes`;
  if (unpacked > limits.ratioFloorBytes && unpacked > limits.maxRatio * compressed) {
    return `expands more than ${limits.maxRatio} times (a compression bomb?)`;
  }
  return undefined;
}
