// The site reads tarballs in memory instead of unpacking them: it must accept exactly what the extractor
// accepts, and refuse what it refuses with the same message.
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnsafeArchiveError } from '../../core/errors.js';
import { extractTarball } from '../../client/extract/safe-extract.js';
import { readTarballFiles } from '../../client/site/tarball-files.js';
import { rawTar, rawTarGz, type RawEntry } from '../extract/raw-tar.js';
import { packTarball } from '../install/fixture-registry.js';
import { tempDir } from '../helpers/tmp.js';

const pkg = { name: 'demo', version: '1.0.0' };
const top = { path: 'demo-1.0.0/', type: 'Directory' as const };
const readme = { path: 'demo-1.0.0/README.md', data: '# demo\n' };

/** What each reader makes of `tarball`: the error message, or undefined when it was accepted. */
async function verdicts(tarball: Buffer): Promise<{ extractor?: string; site?: string }> {
  const dest = join(await tempDir(), 'out');
  const message = (error: unknown) => {
    expect(error).toBeInstanceOf(UnsafeArchiveError);
    return (error as Error).message;
  };
  const extractor = await extractTarball(tarball, dest, { label: 'demo@1.0.0', top: 'demo-1.0.0' }).then(
    () => undefined,
    message,
  );
  const site = await readTarballFiles(tarball, pkg, () => true, 1024).then(() => undefined, message);
  return { ...(extractor === undefined ? {} : { extractor }), ...(site === undefined ? {} : { site }) };
}

const hostile: Array<[string, Buffer]> = [
  ['a ../ path', rawTarGz([top, readme, { path: 'demo-1.0.0/../evil.txt', data: 'x' }])],
  ['an absolute path', rawTarGz([top, { path: '/tmp/granary-evil.txt', data: 'x' }])],
  ['a symbolic link', rawTarGz([top, { path: 'demo-1.0.0/link', type: 'SymbolicLink', linkpath: '/etc/passwd' }])],
  ['a hard link', rawTarGz([top, { path: 'demo-1.0.0/hard', type: 'Link', linkpath: 'demo-1.0.0/README.md' }])],
  ['a FIFO', rawTarGz([top, { path: 'demo-1.0.0/pipe', type: 'FIFO' }])],
  ['an entry outside the top directory', rawTarGz([{ path: 'other-1.0.0/x', data: 'x' }])],
  ['a duplicate entry', rawTarGz([top, readme, readme])],
  ['a case collision', rawTarGz([top, readme, { path: 'demo-1.0.0/readme.md', data: 'x' }])],
  ['an entry inside a file', rawTarGz([top, readme, { path: 'demo-1.0.0/README.md/x', data: 'x' }])],
  ['a compression bomb', rawTarGz([top, { path: 'demo-1.0.0/zeros', data: Buffer.alloc(64 * 1024 * 1024) }])],
  ['gzip inside gzip', gzipSync(rawTarGz([top, readme]))],
  ['a file that is not gzip', rawTar([top, readme])],
  [
    'a truncated archive',
    gzipSync(rawTar([top, { path: 'demo-1.0.0/a', data: Buffer.alloc(5000, 7) }]).subarray(0, 2048)),
  ],
  ['an empty archive', gzipSync(Buffer.alloc(1024))],
];

describe('reading a tarball in memory for the site', () => {
  it('lists the files of a real tarball and keeps the contents asked for, cut at the limit', async () => {
    const bytes = await packTarball({
      name: 'demo',
      version: '1.0.0',
      files: { 'README.md': `# demo\n${'x'.repeat(2000)}\n`, 'src/a/b.js': 'x', 'test/t.js': 't' },
    });
    const read = await readTarballFiles(bytes, pkg, (p) => p === 'README.md' || p === 'granary.json', 100);
    expect(read.paths).toEqual(['README.md', 'granary.json', 'src/a/b.js', 'test/t.js']);
    expect([...read.contents.keys()].sort()).toEqual(['README.md', 'granary.json']);
    expect(read.contents.get('README.md')!.toString('utf8')).toBe(`# demo\n${'x'.repeat(93)}`);
  });

  it.each(hostile)('refuses %s exactly as the extractor does', async (_what, tarball) => {
    const { extractor, site } = await verdicts(tarball);
    expect(extractor).toMatch(/demo@1\.0\.0/);
    expect(site).toBe(extractor);
  });

  it('accepts what the extractor accepts', async () => {
    const entries: RawEntry[] = [top, readme, { path: 'demo-1.0.0/bin/run', data: 'x', mode: 0o6777 }];
    expect(await verdicts(rawTarGz(entries))).toEqual({});
  });
});
