// Wherever a name is looked up, an unknown one gets the "did you mean" info gives; a range nothing
// satisfies lists what was published.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { line } from '../resolve/memory-registry.js';
import { buildRegistry } from '../install/fixture-registry.js';
import { tempDir } from '../helpers/tmp.js';
import { granary, indexDir } from './fixture.js';

describe('suggestions', () => {
  it('install and resolve of an unknown name suggest the similar names info suggests (1)', async () => {
    const work = await tempDir('granary-work-');
    const reg = await buildRegistry(join(work, 'registry'), [
      { name: 'prelude', version: '1.0.0' },
      { name: 'preludes', version: '1.0.0' },
      { name: 'app', version: '1.0.0', dependencies: { prelud: '^1.0.0' } },
    ]);
    const cwd = join(work, 'project');
    await mkdir(cwd);
    const flags = ['--registry', reg.indexDir, '--trust-key', reg.publicKey];

    const info = await granary(['info', 'prelud', ...flags], { cwd });
    expect(info.code).toBe(1);
    expect(info.err).toContain('fix: did you mean prelude?');

    const install = await granary(['install', 'prelud', ...flags], { cwd });
    expect(install.code).toBe(1);
    expect(install.err).toContain('prelud is not in the registry (did you mean prelude?)');

    // A dependency that names nothing gets the same.
    const resolve = await granary(['resolve', 'app', ...flags, '--json'], { cwd });
    expect(resolve.code).toBe(1);
    expect(JSON.parse(resolve.out)).toMatchObject({
      error: 'resolution',
      message: expect.stringContaining('prelud is not in the registry (did you mean prelude?)'),
    });

    const far = await granary(['resolve', 'zzz', ...flags], { cwd });
    expect(far.err).toMatch(/zzz is not in the registry, your request/);
  });

  it('a range nothing satisfies lists the published versions, newest first, ten at most', async () => {
    const versions = Array.from({ length: 14 }, (_, i) => `1.${i}.0`);
    const { dir, key } = await indexDir({
      b: [...versions.map((v) => line('b', v)), line('b', '2.0.0', { yanked: true })],
      few: [line('few', '0.1.0'), line('few', '0.2.0')],
    });
    const flags = ['--registry', dir, '--trust-key', key.publicKey];
    const many = await granary(['resolve', 'b@^2.0.0', ...flags]);
    expect(many.code).toBe(1);
    expect(many.err).toContain(
      'no version of b matches ^2.0.0 (b@2.0.0 is yanked; published: 1.13.0, 1.12.0, 1.11.0, 1.10.0, 1.9.0, 1.8.0, 1.7.0, 1.6.0, 1.5.0, 1.4.0 …and 4 more)',
    );
    const few = await granary(['resolve', 'few@^1.0.0', ...flags]);
    expect(few.err).toContain('no version of few matches ^1.0.0 (published: 0.2.0, 0.1.0)');
  });
});
