// Installs replace and remove only what they installed: a directory in granary_packages/ that no
// install recorded, or whose files changed since, is left alone (exit 1, naming it) unless --force.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FixturePackage } from '../install/fixture-registry.js';
import { packageFiles, projectWorld } from './project-world.js';

const strpad10: FixturePackage = { name: 'strpad', version: '1.0.0', files: { 'pad.js': 'pad 1.0.0\n' } };
const strpad16: FixturePackage = { name: 'strpad', version: '1.6.0', files: { 'pad.js': 'pad 1.6.0\n' } };
const other: FixturePackage = { name: 'other', version: '1.0.0', files: { 'o.js': 'other\n' } };

describe('directories granary did not install', () => {
  it("a user's own granary_packages/strpad survives `install strpad`, which names it; --force replaces it", async () => {
    const w = await projectWorld([strpad10]);
    await mkdir(join(w.project, 'granary_packages', 'strpad'), { recursive: true });
    await writeFile(join(w.project, 'granary_packages', 'strpad', 'notes.txt'), 'my notes\n');

    const r = await w.run(['install', 'strpad', '--registry', w.spec]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'error: refusing to replace granary_packages/strpad (with strpad@1.0.0): granary did not install it\n',
    );
    expect(r.err).toContain('  at: granary_packages/strpad\n');
    expect(r.err).toMatch(/fix: move it out of the way .* or pass --force/);
    expect(await w.files('granary_packages')).toEqual({ 'strpad/notes.txt': 'my notes\n' });
    expect(await w.read('granary.yaml')).toBeUndefined();
    expect(await w.read('granary.lock')).toBeUndefined();

    const json = await w.run(['install', 'strpad', '--registry', w.spec, '--json']);
    expect(json.json).toMatchObject({
      ok: false,
      error: 'foreign-directory',
      directories: [
        {
          path: join(w.project, 'granary_packages', 'strpad'),
          action: 'replace',
          by: 'strpad@1.0.0',
          reason: 'granary did not install it',
        },
      ],
    });

    const forced = await w.run(['install', 'strpad', '--registry', w.spec, '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(await w.files('granary_packages')).toEqual(packageFiles(strpad10));
  });

  it('never removes a directory it did not install, even with --force', async () => {
    const w = await projectWorld([strpad10, other]);
    await mkdir(join(w.project, 'granary_packages', 'mine'), { recursive: true });
    await writeFile(join(w.project, 'granary_packages', 'mine', 'x.txt'), 'x\n');
    expect((await w.run(['install', 'strpad', 'other', '--registry', w.spec])).code).toBe(0);
    expect((await w.run(['remove', 'other', '--force'])).code).toBe(0);
    expect((await w.run(['remove', 'strpad'])).code).toBe(0);
    expect(await w.files('granary_packages')).toEqual({ 'mine/x.txt': 'x\n' });
  });
});

describe('package directories changed since they were installed', () => {
  it('are neither replaced nor removed without --force', async () => {
    const w = await projectWorld([strpad10, other]);
    expect((await w.run(['install', 'strpad', 'other', '--registry', w.spec])).code).toBe(0);
    const pad = join(w.project, 'granary_packages', 'strpad', 'pad.js');
    await writeFile(pad, 'pad 1.0.0, patched while debugging\n');
    await w.registry.publish([strpad10, strpad16, other]);
    const lockText = await w.read('granary.lock');

    const update = await w.run(['update', 'strpad']);
    expect(update.code).toBe(1);
    expect(update.err).toContain(
      'refusing to replace granary_packages/strpad (with strpad@1.6.0): its files changed since granary installed 1.0.0 there',
    );
    const remove = await w.run(['remove', 'strpad']);
    expect(remove.code).toBe(1);
    expect(remove.err).toContain(
      'refusing to remove granary_packages/strpad: its files changed since granary installed 1.0.0 there',
    );
    expect(await readFile(pad, 'utf8')).toBe('pad 1.0.0, patched while debugging\n');
    expect(await w.read('granary.lock')).toBe(lockText);
    expect(await w.read('granary.yaml')).toBe('dependencies:\n  other: ^1.0.0\n  strpad: ^1.0.0\n');

    // A file added counts as a change too; once the directory is as installed again, it is replaced as usual.
    await writeFile(pad, 'pad 1.0.0\n');
    const extra = join(w.project, 'granary_packages', 'strpad', 'extra.js');
    await writeFile(extra, '');
    expect((await w.run(['update', 'strpad'])).code).toBe(1);
    await rm(extra);
    const updated = await w.run(['update', 'strpad']);
    expect(updated.code, updated.err).toBe(0);
    expect(await w.files('granary_packages')).toEqual({ ...packageFiles(strpad16), ...packageFiles(other) });

    // --force replaces (and removes) what changed.
    await writeFile(join(w.project, 'granary_packages', 'other', 'o.js'), 'mine now\n');
    const forced = await w.run(['remove', 'other', '--force']);
    expect(forced.code, forced.err).toBe(0);
    expect(await w.files('granary_packages')).toEqual(packageFiles(strpad16));
  });

  it('a state file from an earlier granary (no content hashes), or a replacement cut short, lets the next install replace', async () => {
    const w = await projectWorld([strpad10, other]);
    expect((await w.run(['install', 'strpad', 'other', '--registry', w.spec])).code).toBe(0);
    const state = join(w.project, 'granary_packages', '.granary-state.json');
    const recorded = JSON.parse(await readFile(state, 'utf8'));
    expect(Object.keys(recorded.packages.strpad).sort()).toEqual(['contentHash', 'sha256', 'version']);
    await w.registry.publish([strpad10, strpad16, { ...other, version: '1.1.0' }]);
    await writeFile(join(w.project, 'granary_packages', 'strpad', 'pad.js'), 'changed\n');
    await writeFile(join(w.project, 'granary_packages', 'other', 'o.js'), 'changed\n');
    await writeFile(
      state,
      JSON.stringify({
        format: 1,
        packages: { strpad: { version: '1.0.0', sha256: recorded.packages.strpad.sha256 } },
      }),
    );
    // other is not recorded at all now: still refused.
    expect((await w.run(['update'])).code).toBe(1);
    await writeFile(
      state,
      JSON.stringify({
        format: 2,
        packages: {
          strpad: { version: '1.0.0', sha256: recorded.packages.strpad.sha256 },
          other: { ...recorded.packages.other, pending: true },
        },
      }),
    );
    const r = await w.run(['update']);
    expect(r.code, r.err).toBe(0);
    expect(await readFile(join(w.project, 'granary_packages', 'strpad', 'pad.js'), 'utf8')).toBe('pad 1.6.0\n');
    expect(await readFile(join(w.project, 'granary_packages', 'other', 'o.js'), 'utf8')).toBe('other\n');
    expect(JSON.parse(await readFile(state, 'utf8')).packages.other.version).toBe('1.1.0');
  });
});
