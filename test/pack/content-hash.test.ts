import { execFile } from 'node:child_process';
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { IntegrityError } from '../../core/errors.js';
import { contentHash, contentHashOfTarball } from '../../curator/pack/content-hash.js';
import { packVersion } from '../../curator/pack/pack.js';
import { tarHeader, TAR_END, tarPadding } from '../../curator/pack/tar-entries.js';
import { sha256Hex } from '../../core/hash.js';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { definition, localRegistry } from './fixtures.js';

const run = promisify(execFile);

// The recipe docs/packing.md gives for recomputing the content hash from an unpacked tarball.
const RECIPE = `set -eu
find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
  if [ -x "$f" ]; then m=755; else m=644; fi
  printf '%s %s %s\\n' "$m" "$(sha256sum < "$f" | cut -d' ' -f1)" "\${f#./}"
done | sha256sum | cut -d' ' -f1`;

describe('content hash', () => {
  it('is SHA-256 over "<mode> <sha256> <path>\\n" lines sorted by path bytes', () => {
    const a = sha256Hex('a\n');
    const b = sha256Hex('b\n');
    const expected = sha256Hex(`644 ${b} B\n755 ${a} a/x\n644 ${a} a\u00e9\n`);
    expect(
      contentHash([
        { path: 'a\u00e9', sha256: a, executable: false },
        { path: 'a/x', sha256: a, executable: true },
        { path: 'B', sha256: b, executable: false },
      ]),
    ).toBe(expected);
  });

  it('survives recompression, equals the packer’s value, and matches the documented shell recipe', async () => {
    const repo = await createRepo();
    await repo.write('src/main.ts', 'export const main = () => 1;\n');
    await repo.write('bin/run', '#!/bin/sh\n', 0o755);
    await repo.write('Zeta.md', 'z\n');
    await repo.commit('x');
    await repo.tag('v1.0.0');
    const result = await packVersion(definition(repo.dir), { registry: localRegistry() });
    expect(await contentHashOfTarball(result.bytes)).toBe(result.contentHash);

    const recompressed = gzipSync(gunzipSync(result.bytes), { level: 1 });
    expect(sha256Hex(recompressed)).not.toBe(result.sha256);
    expect(await contentHashOfTarball(recompressed)).toBe(result.contentHash);
    expect(await contentHashOfTarball(gunzipSync(result.bytes))).toBe(result.contentHash);

    const dir = await tempDir();
    await writeFile(join(dir, result.fileName), result.bytes);
    await mkdir(join(dir, 'x'));
    await run('tar', ['-xzf', result.fileName, '-C', 'x'], { cwd: dir });
    const { stdout } = await run('bash', ['-c', RECIPE], { cwd: join(dir, 'x', 'demo-1.0.0') });
    expect(stdout.trim()).toBe(result.contentHash);
  });

  it('refuses tarballs with links, several top directories or duplicate files', async () => {
    const file = (path: string, body = 'x') => [
      tarHeader({ path, type: 'File', mode: 0o644, size: body.length }),
      Buffer.from(body),
      tarPadding(body.length),
    ];
    const tar = (...parts: Buffer[][]) => gzipSync(Buffer.concat([...parts.flat(), TAR_END]));
    await expect(contentHashOfTarball(tar(file('a/x'), file('b/y')))).rejects.toThrow(IntegrityError);
    await expect(contentHashOfTarball(tar(file('a/x'), file('a/x')))).rejects.toThrow(/twice/);
    const link = Buffer.alloc(512);
    link.write('a/link', 0);
    link.write('0000777\0', 100);
    link.write('0000000\0', 108);
    link.write('0000000\0', 116);
    link.write('00000000000\0', 124);
    link.write('00000000000\0', 136);
    link.write('2', 156);
    link.write('/etc/passwd', 157);
    link.write('ustar\u000000', 257);
    let sum = 8 * 0x20;
    for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += link[i]!;
    link.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    await expect(contentHashOfTarball(tar(file('a/x'), [link]))).rejects.toThrow(/SymbolicLink/);
    await expect(contentHashOfTarball(Buffer.from('not a tarball at all'))).rejects.toThrow(IntegrityError);
  });
});
