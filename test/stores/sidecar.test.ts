import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { parseSidecar, sidecarFor } from '../../curator/stores/sidecar.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);

describe('sidecar', () => {
  it('is `<hex>  <file>\\n` under `<file>.sha256`', () => {
    const hex = sha256Hex('tarball bytes');
    const sidecar = sidecarFor('left-pad-1.0.0.tar.gz', hex);
    expect(sidecar.fileName).toBe('left-pad-1.0.0.tar.gz.sha256');
    expect(sidecar.bytes.toString('utf8')).toBe(`${hex}  left-pad-1.0.0.tar.gz\n`);
    expect(parseSidecar(sidecar.bytes)).toEqual({ sha256: hex, fileName: 'left-pad-1.0.0.tar.gz' });
  });

  it('is what sha256sum -c checks', async (context) => {
    const dir = await tempDir();
    const bytes = Buffer.from('tarball bytes');
    const sidecar = sidecarFor('left-pad-1.0.0.tar.gz', sha256Hex(bytes));
    await writeFile(join(dir, 'left-pad-1.0.0.tar.gz'), bytes);
    await writeFile(join(dir, sidecar.fileName), sidecar.bytes);
    const result = await run('sha256sum', ['-c', sidecar.fileName], { cwd: dir }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    if (!result) return context.skip('sha256sum is not installed here');
    expect(result.stdout).toBe('left-pad-1.0.0.tar.gz: OK\n');
  });

  it('refuses bad input', () => {
    expect(() => sidecarFor('../x.tar.gz', sha256Hex('x'))).toThrow(TypeError);
    expect(() => sidecarFor('x.tar.gz', 'ABC')).toThrow(TypeError);
    expect(() => sidecarFor('x.tar.gz', sha256Hex('x').toUpperCase())).toThrow(TypeError);
    for (const text of [
      '',
      'abc  x.tar.gz\n',
      `${sha256Hex('x')} x.tar.gz\n`,
      `${sha256Hex('x')}  ../x\n`,
      `${sha256Hex('x')}  x\ny\n`,
    ]) {
      expect(() => parseSidecar(Buffer.from(text)), text).toThrow(InputError);
    }
  });
});
