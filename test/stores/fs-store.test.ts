import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AssetConflictError, InputError, StoreError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { tarballName } from '../../core/names.js';
import { createFsStore } from '../../curator/stores/fs-store.js';
import { tempDir } from '../helpers/tmp.js';

const tarball = gzipSync(Buffer.from('package contents v1'));
const other = gzipSync(Buffer.from('package contents, rebuilt differently'));

/** Every entry under `dir`, relative, sorted (dot files included). */
async function listTree(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    out.push(rel);
    if (entry.isDirectory()) out.push(...(await listTree(join(dir, entry.name), rel)));
  }
  return out.sort();
}

describe('fs store', () => {
  it('publishes into DIR/<tag>/<file> and reports the asset path, file URL base and path', async () => {
    const dir = await tempDir();
    const store = createFsStore(dir);
    const name = tarballName('left-pad', '1.0.0');
    const result = await store.put('left-pad', name, tarball);
    expect(result).toEqual({ asset: `left-pad/${name}`, status: 'created', url: join(dir, 'left-pad', name) });
    expect(await readFile(join(dir, 'left-pad', name))).toEqual(tarball);
    expect(store.spec).toBe(`fs:${dir}`);
    expect(fileURLToPath(store.assetBase)).toBe(dir);
    expect(fileURLToPath(`${store.assetBase}/${result.asset}`)).toBe(join(dir, 'left-pad', name));
    expect(await listTree(dir)).toEqual(['left-pad', `left-pad/${name}`]);
  });

  it('keeps the scope slash of a tag: @scope/name is two directory levels', async () => {
    const dir = await tempDir();
    const store = createFsStore(dir);
    const name = tarballName('@acme/widgets', '2.0.0');
    const result = await store.put('@acme/widgets', name, tarball);
    expect(result.asset).toBe(`@acme/widgets/${name}`);
    expect(name).toBe('acme_widgets-2.0.0.tar.gz');
    expect((await stat(join(dir, '@acme'))).isDirectory()).toBe(true);
    expect(await readFile(join(dir, '@acme', 'widgets', name))).toEqual(tarball);
    expect(await store.find('@acme/widgets', name)).toBe(`@acme/widgets/${name}`);
    expect(await store.get(`@acme/widgets/${name}`)).toEqual(tarball);
  });

  it('reuses an asset published again with the same bytes', async () => {
    const dir = await tempDir();
    const store = createFsStore(dir);
    await store.put('left-pad', 'left-pad-1.0.0.tar.gz', tarball);
    const again = await store.put('left-pad', 'left-pad-1.0.0.tar.gz', Buffer.from(tarball));
    expect(again.status).toBe('reused');
    expect(await listTree(dir)).toEqual(['left-pad', 'left-pad/left-pad-1.0.0.tar.gz']);
  });

  it('refuses different bytes, names both hashes, and leaves the existing file byte-for-byte as it was', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'left-pad'));
    const path = join(dir, 'left-pad', 'left-pad-1.0.0.tar.gz');
    await writeFile(path, other);
    const before = await stat(path);
    const store = createFsStore(dir);
    const error = await store.put('left-pad', 'left-pad-1.0.0.tar.gz', tarball).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetConflictError);
    const conflict = error as AssetConflictError;
    expect(conflict.message).toContain('left-pad/left-pad-1.0.0.tar.gz');
    expect(conflict.message).toContain(sha256Hex(other));
    expect(conflict.message).toContain(sha256Hex(tarball));
    expect(conflict.where).toBe(path);
    expect(conflict.hint).toMatch(/never replaced/);
    expect(await readFile(path)).toEqual(other);
    const after = await stat(path);
    expect([after.ino, after.mtimeMs, after.size]).toEqual([before.ino, before.mtimeMs, before.size]);
    expect(await listTree(dir)).toEqual(['left-pad', 'left-pad/left-pad-1.0.0.tar.gz']);
  });

  it('lets concurrent puts of the same asset all succeed with one file and no temporary leftovers', async () => {
    const dir = await tempDir();
    const stores = Array.from({ length: 8 }, () => createFsStore(dir));
    const results = await Promise.all(stores.map((s) => s.put('@acme/widgets', 'acme_widgets-1.0.0.tar.gz', tarball)));
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'reused')).toHaveLength(7);
    expect(await listTree(dir)).toEqual(['@acme', '@acme/widgets', '@acme/widgets/acme_widgets-1.0.0.tar.gz']);
    expect(await readFile(join(dir, '@acme/widgets/acme_widgets-1.0.0.tar.gz'))).toEqual(tarball);
  });

  it('lets exactly one of two concurrent puts with different bytes win; the other is a conflict', async () => {
    const dir = await tempDir();
    const settled = await Promise.allSettled([
      createFsStore(dir).put('left-pad', 'left-pad-1.0.0.tar.gz', tarball),
      createFsStore(dir).put('left-pad', 'left-pad-1.0.0.tar.gz', other),
    ]);
    const won = settled.filter((s) => s.status === 'fulfilled');
    const lost = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(AssetConflictError);
    const winner = settled[0]!.status === 'fulfilled' ? tarball : other;
    expect(await readFile(join(dir, 'left-pad', 'left-pad-1.0.0.tar.gz'))).toEqual(winner);
    expect(await listTree(dir)).toEqual(['left-pad', 'left-pad/left-pad-1.0.0.tar.gz']);
  });

  it('is not disturbed by a temporary file left by a crashed writer', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'left-pad'));
    const stray = join(dir, 'left-pad', '.left-pad-1.0.0.tar.gz.4242.000000000000.tmp');
    await writeFile(stray, tarball.subarray(0, 5));
    const store = createFsStore(dir);
    expect(await store.find('left-pad', 'left-pad-1.0.0.tar.gz')).toBeUndefined();
    expect((await store.put('left-pad', 'left-pad-1.0.0.tar.gz', tarball)).status).toBe('created');
    expect(await readFile(join(dir, 'left-pad', 'left-pad-1.0.0.tar.gz'))).toEqual(tarball);
    // The stray file is left alone (it may belong to a writer still running), and never read as an asset.
    expect(await listTree(dir)).toEqual([
      'left-pad',
      'left-pad/.left-pad-1.0.0.tar.gz.4242.000000000000.tmp',
      'left-pad/left-pad-1.0.0.tar.gz',
    ]);
    await expect(store.get('left-pad/.left-pad-1.0.0.tar.gz.4242.000000000000.tmp')).rejects.toBeInstanceOf(InputError);
  });

  it('refuses tags and file names that would escape the directory', async () => {
    const dir = await tempDir();
    const store = createFsStore(join(dir, 'store'));
    const bad: Array<[string, string]> = [
      ['../evil', 'x.tar.gz'],
      ['left-pad', '../x.tar.gz'],
      ['left-pad', '..'],
      ['left-pad', '.hidden'],
      ['left-pad', 'a/b.tar.gz'],
      ['left-pad', 'a\\b.tar.gz'],
      ['@acme/../../x', 'x.tar.gz'],
      ['/etc', 'passwd'],
      ['left-pad', ''],
    ];
    for (const [pkg, file] of bad) {
      await expect(store.put(pkg, file, tarball), `${pkg} ${file}`).rejects.toBeInstanceOf(InputError);
      await expect(store.find(pkg, file)).rejects.toBeInstanceOf(InputError);
      await expect(store.remove(pkg, file)).rejects.toBeInstanceOf(InputError);
    }
    for (const asset of [
      '../x.tar.gz',
      'left-pad/../../x.tar.gz',
      '/etc/passwd',
      'left-pad',
      '@acme/../x/y.tar.gz',
      'left-pad.1/x.tar.gz',
      'left-pad/.x',
    ]) {
      await expect(store.get(asset), asset).rejects.toBeInstanceOf(InputError);
    }
    expect(await listTree(dir)).toEqual([]);
  });

  it('never follows a symlinked release directory planted inside the store out of it', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    await mkdir(join(dir, 'store'), { recursive: true });
    await symlink(outside, join(dir, 'store', 'left-pad'));
    await mkdir(join(dir, 'store', '@acme'));
    await symlink(outside, join(dir, 'store', '@acme', 'widgets'));
    await writeFile(join(outside, 'left-pad-1.0.0.tar.gz'), other);
    const store = createFsStore(join(dir, 'store'));
    for (const [pkg, file] of [
      ['left-pad', 'left-pad-1.0.0.tar.gz'],
      ['@acme/widgets', 'acme_widgets-1.0.0.tar.gz'],
    ] as const) {
      await expect(store.put(pkg, file, tarball)).rejects.toBeInstanceOf(StoreError);
      await expect(store.find(pkg, file)).rejects.toThrow(/symlink/);
      await expect(store.get(`${pkg}/${file}`)).rejects.toThrow(/symlink/);
      await expect(store.remove(pkg, file)).rejects.toThrow(/symlink/);
    }
    expect(await readdir(outside)).toEqual(['left-pad-1.0.0.tar.gz']);
    expect(await readFile(join(outside, 'left-pad-1.0.0.tar.gz'))).toEqual(other);
  });

  it('never follows a symlinked asset planted inside the store', async () => {
    const dir = await tempDir();
    const outside = await tempDir();
    const secret = join(outside, 'secret');
    await writeFile(secret, 'do not read or touch');
    await mkdir(join(dir, 'left-pad'));
    await symlink(secret, join(dir, 'left-pad', 'left-pad-1.0.0.tar.gz'));
    const store = createFsStore(dir);
    const error = await store
      .put('left-pad', 'left-pad-1.0.0.tar.gz', Buffer.from('do not read or touch'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(/symlink/);
    await expect(store.get('left-pad/left-pad-1.0.0.tar.gz')).rejects.toThrow(/symlink/);
    await expect(store.remove('left-pad', 'left-pad-1.0.0.tar.gz')).rejects.toThrow(/symlink/);
    expect(await readFile(secret, 'utf8')).toBe('do not read or touch');
    expect(await readdir(join(dir, 'left-pad'))).toEqual(['left-pad-1.0.0.tar.gz']);
  });

  it('finds, reads back and removes assets; absent ones are undefined/false', async () => {
    const dir = await tempDir();
    const store = createFsStore(dir);
    expect(await store.find('left-pad', 'left-pad-1.0.0.tar.gz')).toBeUndefined();
    expect(await store.get('left-pad/left-pad-1.0.0.tar.gz')).toBeUndefined();
    expect(await store.remove('left-pad', 'left-pad-1.0.0.tar.gz')).toBe(false);
    await store.put('left-pad', 'left-pad-1.0.0.tar.gz', tarball);
    expect(await store.find('left-pad', 'left-pad-1.0.0.tar.gz')).toBe('left-pad/left-pad-1.0.0.tar.gz');
    expect(await store.get('left-pad/left-pad-1.0.0.tar.gz')).toEqual(tarball);
    expect(await store.get('left-pad.2/left-pad-1.0.0.tar.gz')).toBeUndefined();
    expect(await store.remove('left-pad', 'left-pad-1.0.0.tar.gz')).toBe(true);
    expect(await store.find('left-pad', 'left-pad-1.0.0.tar.gz')).toBeUndefined();
    expect(await store.remove('left-pad', 'left-pad-1.0.0.tar.gz')).toBe(false);
  });
});
