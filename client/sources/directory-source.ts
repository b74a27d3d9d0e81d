/** An index laid out in a directory (a mirror, or `granary index build` output). */
import { open, realpath } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { LimitError, SourceError } from '../../core/errors.js';
import { checkIndexFilePath } from './index-file-path.js';
import type { OpenedSource } from './opened-source.js';
import { withDefaults, type SourceOptions } from './options.js';

export function directorySource(dir: string, options: SourceOptions): OpenedSource {
  const o = withDefaults(options);
  const root = resolve(o.cwd, dir);
  let realRoot: Promise<string> | undefined;

  const locate = (path: string) => join(root, checkIndexFilePath(path));

  return {
    kind: 'directory',
    description: root,
    identity: `dir:${root}`,
    locate,
    resolveRelative: (relative) => resolve(root, relative),
    async readFile(path) {
      const file = locate(path);
      let real: string;
      try {
        real = await realpath(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR')
          return undefined;
        throw new SourceError(`cannot read the index file: ${(error as Error).message}`, { where: file, cause: error });
      }
      realRoot ??= realpath(root);
      // A symbolic link inside the index must not lead the client to files outside it.
      if (!real.startsWith((await realRoot) + sep))
        throw new SourceError('index file resolves outside the index directory', {
          where: file,
          hint: 'remove the symbolic link from the index directory',
        });
      const handle = await open(real, 'r');
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) return undefined;
        if (stat.size > o.maxBytes)
          throw new LimitError(`index file is larger than ${o.maxBytes} bytes`, { where: file });
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
  };
}
