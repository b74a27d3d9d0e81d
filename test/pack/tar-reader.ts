/** Read every entry of a .tar.gz (headers and contents) for assertions. */
import { Parser, type ReadEntry } from 'tar';

export interface ReadTarEntry {
  path: string;
  type: string;
  mode: number;
  uid: number | undefined;
  gid: number | undefined;
  uname: string | undefined;
  gname: string | undefined;
  mtime: number | undefined;
  size: number;
  data: Buffer;
}

export async function readTar(bytes: Buffer): Promise<ReadTarEntry[]> {
  const entries: ReadTarEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      strict: true,
      onReadEntry(entry: ReadEntry) {
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () =>
          entries.push({
            path: entry.path,
            type: entry.type,
            mode: entry.mode ?? -1,
            uid: entry.uid,
            gid: entry.gid,
            uname: entry.uname,
            gname: entry.gname,
            mtime: entry.mtime?.getTime(),
            size: entry.size ?? 0,
            data: Buffer.concat(chunks),
          }),
        );
      },
    });
    parser.on('error', reject);
    parser.on('end', resolve);
    parser.end(bytes);
  });
  return entries;
}
