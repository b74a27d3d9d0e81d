/**
 * Debris a killed run leaves (a temporary file of a store, an install's staging directory) is removed by
 * the next run: only entries whose names Granary gives its own temporaries, and only once they are old
 * enough that no live run can still be using them.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** How old a temporary must be before it counts as left behind. */
export const STALE_AFTER_MS = 60 * 60 * 1000;

/** Remove the entries of `dir` whose names match `pattern` and that were last changed over `staleAfterMs` ago; returns their names. */
export async function removeStale(dir: string, pattern: RegExp, staleAfterMs = STALE_AFTER_MS): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (!info || now - info.mtimeMs < staleAfterMs) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
