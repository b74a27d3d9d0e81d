import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UnsafeArchiveError } from '../../core/errors.js';
import { extractTarball } from '../../client/extract/safe-extract.js';
import { replaceDirectory } from '../../client/extract/replace-directory.js';
import { entrySegments, fileMode } from '../../client/extract/entry-path.js';
import { tempDir } from '../helpers/tmp.js';
import { packTarball } from '../install/fixture-registry.js';
import { rawTar, rawTarGz, type RawEntry } from './raw-tar.js';

const target = { label: 'demo@1.0.0', top: 'demo-1.0.0' };

async function refused(tarball: Buffer, limits = {}): Promise<{ error: UnsafeArchiveError; work: string }> {
  const work = await tempDir();
  const dest = join(work, 'dest');
  const error = await extractTarball(tarball, dest, target, limits).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnsafeArchiveError);
  expect(existsSync(dest)).toBe(false);
  expect(await readdir(work)).toEqual([]);
  return { error: error as UnsafeArchiveError, work };
}

describe('extractTarball', () => {
  it('unpacks a real tarball below its top-level directory with modes 0644/0755 only', async () => {
    const bytes = await packTarball({
      name: 'demo',
      version: '1.0.0',
      files: { 'README.md': '# demo\n', 'bin/run.sh': '#!/bin/sh\necho hi\n', 'src/a/b.js': 'x' },
      executables: ['bin/run.sh'],
    });
    const dest = join(await tempDir(), 'out');
    const stats = await extractTarball(bytes, dest, target);
    expect(stats.files).toBe(4);
    expect((await readdir(dest)).sort()).toEqual(['README.md', 'bin', 'granary.json', 'src']);
    expect(await readFile(join(dest, 'src/a/b.js'), 'utf8')).toBe('x');
    expect((await stat(join(dest, 'bin/run.sh'))).mode & 0o7777).toBe(0o755);
    expect((await stat(join(dest, 'README.md'))).mode & 0o7777).toBe(0o644);
    expect(JSON.parse(await readFile(join(dest, 'granary.json'), 'utf8'))).toMatchObject({
      name: 'demo',
      version: '1.0.0',
    });
  });

  it('drops setuid, setgid, sticky and group/other write bits', async () => {
    const dest = join(await tempDir(), 'out');
    await extractTarball(
      rawTarGz([
        { path: 'demo-1.0.0/', type: 'Directory' },
        { path: 'demo-1.0.0/s', data: 'x', mode: 0o6777 },
        { path: 'demo-1.0.0/w', data: 'y', mode: 0o666 },
      ]),
      dest,
      target,
    );
    expect((await stat(join(dest, 's'))).mode & 0o7777).toBe(0o755);
    expect((await stat(join(dest, 'w'))).mode & 0o7777).toBe(0o644);
  });

  const hostile: Array<[string, RawEntry[], RegExp]> = [
    ['a ../ path', [{ path: 'demo-1.0.0/../evil.txt', data: 'x' }], /"demo-1\.0\.0\/\.\.\/evil\.txt".*"\.\."/],
    ['a leading ../', [{ path: '../evil.txt', data: 'x' }], /"\.\."/],
    ['an absolute path', [{ path: '/tmp/granary-evil.txt', data: 'x' }], /absolute path/],
    ['a drive-letter path', [{ path: 'C:/evil.txt', data: 'x' }], /absolute path/],
    [
      'a symbolic link',
      [{ path: 'demo-1.0.0/link', type: 'SymbolicLink', linkpath: '/etc/passwd' }],
      /"demo-1\.0\.0\/link".*symbolic link/,
    ],
    ['a hard link', [{ path: 'demo-1.0.0/hard', type: 'Link', linkpath: 'demo-1.0.0/README.md' }], /hard link/],
    ['a character device', [{ path: 'demo-1.0.0/tty', type: 'CharacterDevice' }], /device/],
    ['a block device', [{ path: 'demo-1.0.0/sda', type: 'BlockDevice' }], /device/],
    ['a FIFO', [{ path: 'demo-1.0.0/pipe', type: 'FIFO' }], /FIFO/],
    [
      'an entry outside the top-level directory',
      [{ path: 'other-1.0.0/x', data: 'x' }],
      /outside the package's top-level directory/,
    ],
    ['a file named like the top directory', [{ path: 'demo-1.0.0', data: 'x' }], /not a directory/],
    [
      'a duplicate entry',
      [
        { path: 'demo-1.0.0/a', data: 'x' },
        { path: 'demo-1.0.0/a', data: 'y' },
      ],
      /appears twice/,
    ],
    [
      'an entry inside a file',
      [
        { path: 'demo-1.0.0/a', data: 'x' },
        { path: 'demo-1.0.0/a/b', data: 'y' },
      ],
      /which is a file/,
    ],
    ['a backslash path', [{ path: 'demo-1.0.0/..\\evil', data: 'x' }], /backslash/],
  ];

  it.each(hostile)(
    'refuses %s, naming the package and the entry, and leaves nothing behind',
    async (_what, entries, message) => {
      const { error } = await refused(
        rawTarGz([
          { path: 'demo-1.0.0/', type: 'Directory' },
          { path: 'demo-1.0.0/README.md', data: 'ok' },
          ...entries,
        ]),
      );
      expect(error.message).toContain('demo@1.0.0');
      expect(error.message).toMatch(message);
      expect(existsSync('/tmp/granary-evil.txt')).toBe(false);
    },
  );

  it('refuses a link even when it comes first, before any file was written', async () => {
    const { error } = await refused(
      rawTarGz([
        { path: 'demo-1.0.0/link', type: 'SymbolicLink', linkpath: '../../outside' },
        { path: 'demo-1.0.0/link/x', data: 'x' },
      ]),
    );
    expect(error.message).toMatch(/symbolic link/);
  });

  it('refuses more entries than the cap', async () => {
    const entries: RawEntry[] = Array.from({ length: 6 }, (_, i) => ({ path: `demo-1.0.0/f${i}`, data: `${i}` }));
    const { error } = await refused(rawTarGz(entries), { maxEntries: 5 });
    expect(error.message).toMatch(/cap of 5 entries/);
  });

  it('refuses a compression bomb by its ratio with the default caps, without unpacking it all', async () => {
    const { error } = await refused(rawTarGz([{ path: 'demo-1.0.0/zeros', data: Buffer.alloc(64 * 1024 * 1024) }]));
    expect(error.message).toMatch(/expands more than 100 times/);
  });

  it('refuses more unpacked bytes than the cap', async () => {
    const { error } = await refused(rawTarGz([{ path: 'demo-1.0.0/a', data: Buffer.alloc(3000, 1) }]), {
      maxBytes: 2048,
      maxRatio: 1e9,
    });
    expect(error.message).toMatch(/cap of 2048 (unpacked )?bytes/);
  });

  it('refuses gzip inside gzip, a non-gzip file, a truncated archive and an empty one', async () => {
    await refused(gzipSync(rawTarGz([{ path: 'demo-1.0.0/a', data: 'x' }])));
    await refused(rawTar([{ path: 'demo-1.0.0/a', data: 'x' }]));
    const tar = rawTar([{ path: 'demo-1.0.0/a', data: Buffer.alloc(5000, 7) }]);
    await refused(gzipSync(tar.subarray(0, 2048)));
    await refused(gzipSync(Buffer.alloc(1024)));
  });

  it('refuses a header with a bad checksum', async () => {
    const tar = rawTar([{ path: 'demo-1.0.0/a', data: 'x' }]);
    tar[0] = 'X'.charCodeAt(0);
    await refused(gzipSync(tar));
  });
});

describe('entry rules', () => {
  it('strips the top-level directory and keeps only the executable bit', () => {
    expect(entrySegments('demo-1.0.0/', 'demo-1.0.0')).toEqual([]);
    expect(entrySegments('demo-1.0.0/src/a.js', 'demo-1.0.0')).toEqual(['src', 'a.js']);
    expect(entrySegments('demo-1.0.0//a', 'demo-1.0.0')).toMatchObject({ refused: expect.stringMatching(/empty/) });
    expect(entrySegments('demo-1.0.0/./a', 'demo-1.0.0')).toMatchObject({ refused: expect.stringMatching(/"\."/) });
    expect(fileMode(0o4711)).toBe(0o755);
    expect(fileMode(0o600)).toBe(0o644);
  });
});

describe('replaceDirectory', () => {
  it('replaces an installed version, and never follows a symlink at the target', async () => {
    const work = await tempDir();
    const root = join(work, 'pkgs');
    const outside = join(work, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'keep.txt'), 'keep');
    await mkdir(root);
    await symlink(outside, join(root, 'demo'));
    const staged = join(work, 'staged');
    await mkdir(staged);
    await writeFile(join(staged, 'new.txt'), 'new');
    await replaceDirectory(staged, root, join(root, 'demo'), work);
    expect((await lstat(join(root, 'demo'))).isDirectory()).toBe(true);
    expect(await readdir(join(root, 'demo'))).toEqual(['new.txt']);
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('keep');
  });

  it('refuses to install through a symlinked scope directory', async () => {
    const work = await tempDir();
    const root = join(work, 'pkgs');
    await mkdir(root);
    await mkdir(join(work, 'elsewhere'));
    await symlink(join(work, 'elsewhere'), join(root, '@scope'));
    const staged = join(work, 'staged');
    await mkdir(staged);
    await expect(replaceDirectory(staged, root, join(root, '@scope', 'demo'), work)).rejects.toThrow(/symbolic link/);
    expect(await readdir(join(work, 'elsewhere'))).toEqual([]);
  });
});
