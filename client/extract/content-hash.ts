/** The content hash (core/content-hash.ts) of an unpacked package directory: what an install records, to know its own work again. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash, type ContentFile } from '../../core/content-hash.js';

/**
 * The content hash of the files under `dir`, or undefined when `dir` is not a directory or holds
 * anything but regular files and directories (a link, a FIFO): no extracted package ever does.
 */
export async function directoryContentHash(dir: string): Promise<string | undefined> {
  const top = await lstat(dir).catch(() => undefined);
  if (!top?.isDirectory()) return undefined;
  const files: ContentFile[] = [];
  // Iterative, so a deep tree cannot overflow the stack.
  const pending: string[] = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile()) {
        const full = join(dir, path);
        const info = await lstat(full);
        files.push({ path, sha256: await fileSha256(full), executable: (info.mode & 0o111) !== 0 });
      } else return undefined;
    }
  }
  return contentHash(files);
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
