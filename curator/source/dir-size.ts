/** Watch a directory's size while git writes into it, so an oversized fetch is stopped early rather than after the fact. */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Total bytes of the regular files under `dir` (links are not followed). */
export async function directorySize(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0; // a directory git removed while we looked
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await directorySize(path);
    else if (entry.isFile())
      total += await lstat(path).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

/** Poll `dir` every `intervalMs`; call `onExceeded` once when it grows past `maxBytes`. Returns a stop function. */
export function watchDirectorySize(
  dir: string,
  maxBytes: number,
  onExceeded: (bytes: number) => void,
  intervalMs = 100,
): () => void {
  let stopped = false;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    void directorySize(dir).then((bytes) => {
      busy = false;
      if (!stopped && bytes > maxBytes) {
        stopped = true;
        clearInterval(timer);
        onExceeded(bytes);
      }
    });
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
