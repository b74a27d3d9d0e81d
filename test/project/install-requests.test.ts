// What `granary install` asks for and records: a caret of the version chosen for a bare name or
// name@latest, a range as written, a package asked for again resolved afresh (never held back by the
// lockfile), granary.yaml against the lockfile, and projects made before granary.yaml existed.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLockfile } from '../../client/lockfile.js';
import type { FixturePackage } from '../install/fixture-registry.js';
import { packageFiles, projectWorld, type ProjectWorld } from './project-world.js';

const strpad10: FixturePackage = { name: 'strpad', version: '1.0.0', files: { 'pad.js': 'pad 1.0.0\n' } };
const strpad16: FixturePackage = { name: 'strpad', version: '1.6.0', files: { 'pad.js': 'pad 1.6.0\n' } };
const other10: FixturePackage = { name: 'other', version: '1.0.0', files: { 'o.js': 'other 1.0.0\n' } };
const other11: FixturePackage = { name: 'other', version: '1.1.0', files: { 'o.js': 'other 1.1.0\n' } };

async function locked(w: ProjectWorld): Promise<Record<string, string>> {
  const lock = parseLockfile((await w.read('granary.lock'))!, 'granary.lock');
  return Object.fromEntries(Object.entries(lock.packages).map(([n, p]) => [n, p.version]));
}

async function requests(w: ProjectWorld): Promise<Record<string, string>> {
  return { ...parseLockfile((await w.read('granary.lock'))!, 'granary.lock').requests };
}

describe('install NAME', () => {
  it('records a caret of the version chosen for NAME and NAME@latest, and a range as written (normal form)', async () => {
    const w = await projectWorld([
      strpad10,
      strpad16,
      { name: 'zero', version: '0.3.2' },
      { name: 'tool', version: '1.2.3' },
      { name: 'tool', version: '2.0.0' },
      { name: 'beta', version: '1.0.0-beta.1' },
      { name: 'beta', version: '1.0.0-beta.2' },
    ]);
    const r = await w.run(['install', 'strpad@latest', 'zero', 'tool@>= 1.0.0 < 2.0.0', '--registry', w.spec]);
    expect(r.code, r.err).toBe(0);
    expect(await w.read('granary.yaml')).toBe(
      'dependencies:\n  strpad: ^1.6.0\n  tool: ">=1.0.0 <2.0.0"\n  zero: ^0.3.2\n',
    );
    expect(await locked(w)).toEqual({ strpad: '1.6.0', tool: '1.2.3', zero: '0.3.2' });

    // NAME@latest replaces a range already there; a prerelease is only taken when asked for, and recorded exactly.
    expect((await w.run(['install', 'tool@latest'])).code).toBe(0);
    const pre = await w.run(['install', 'beta']);
    expect(pre.code).toBe(1);
    expect(pre.err).toMatch(/beta@1\.0\.0-beta\.2 is a prerelease/);
    expect((await w.run(['install', 'beta@1.0.0-beta.2'])).code).toBe(0);
    expect(await w.read('granary.yaml')).toBe(
      // tool's range was quoted (it had to be): the new one keeps the quotes.
      'dependencies:\n  beta: 1.0.0-beta.2\n  strpad: ^1.6.0\n  tool: "^2.0.0"\n  zero: ^0.3.2\n',
    );
    expect(await requests(w)).toEqual({ beta: '1.0.0-beta.2', strpad: '^1.6.0', tool: '^2.0.0', zero: '^0.3.2' });
  });

  it('moves a locked, deprecated version to the newest when the package is asked for again; the others stay locked', async () => {
    const w = await projectWorld([strpad10, other10]);
    expect((await w.run(['install', 'strpad', 'other', '--registry', w.spec])).code).toBe(0);
    expect(await locked(w)).toEqual({ other: '1.0.0', strpad: '1.0.0' });
    await w.registry.publish([{ ...strpad10, deprecated: 'use 1.6' }, strpad16, other10, other11]);

    // The lockfile still satisfies granary.yaml: a plain install keeps it, and says 1.0.0 is deprecated.
    const plain = await w.run(['install']);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.err).toContain('warning: strpad@1.0.0 is deprecated: use 1.6');
    expect(await locked(w)).toEqual({ other: '1.0.0', strpad: '1.0.0' });

    const again = await w.run(['install', 'strpad']);
    expect(again.code, again.err).toBe(0);
    expect(again.err).not.toContain('deprecated');
    expect(await locked(w)).toEqual({ other: '1.0.0', strpad: '1.6.0' });
    expect(await w.read('granary.yaml')).toBe('dependencies:\n  other: ^1.0.0\n  strpad: ^1.6.0\n');
    expect(await w.files('granary_packages')).toEqual({ ...packageFiles(strpad16), ...packageFiles(other10) });
  });

  it('refuses an invalid granary.yaml with its file:line:col, and writes nothing', async () => {
    const w = await projectWorld([strpad10]);
    await writeFile(
      join(w.project, 'granary.yaml'),
      'name: x\ndependencies:\n  strpad: "^1.0.0"\n  Bad_Name: ^1.0.0\n',
    );
    const r = await w.run(['install', 'strpad', '--registry', w.spec, '--json']);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ error: 'invalid-input', where: 'granary.yaml:4:3' });
    expect(await w.read('granary.lock')).toBeUndefined();
    expect(await w.files('granary_packages')).toEqual({});
  });
});

describe('granary.yaml and the lockfile', () => {
  it('an edited granary.yaml is resolved again (locked versions kept where they fit); --frozen refuses it', async () => {
    const w = await projectWorld([strpad10, strpad16, other10, other11]);
    expect((await w.run(['install', 'strpad@1.0.0', 'other@1.0.0', '--registry', w.spec])).code).toBe(0);
    await writeFile(
      join(w.project, 'granary.yaml'),
      '# widened by hand\ndependencies:\n  strpad: ^1.0.0\n  other: ^1.0.0\n  extra-thing: ^1.0.0\n',
    );
    await w.registry.publish([strpad10, strpad16, other10, other11, { name: 'extra-thing', version: '1.0.0' }]);
    const lockText = await w.read('granary.lock');

    const frozen = await w.run(['install', '--frozen', '--json']);
    expect(frozen.code).toBe(1);
    expect(frozen.json.error).toBe('lockfile-mismatch');
    expect(frozen.json.differences).toEqual([
      'strpad is ^1.0.0 in granary.yaml, 1.0.0 in the lockfile',
      'other is ^1.0.0 in granary.yaml, 1.0.0 in the lockfile',
      "extra-thing@^1.0.0 is in granary.yaml but not in the lockfile's requests",
    ]);
    expect(await w.read('granary.lock')).toBe(lockText);

    const r = await w.run(['install']);
    expect(r.code, r.err).toBe(0);
    expect(await locked(w)).toEqual({ 'extra-thing': '1.0.0', other: '1.0.0', strpad: '1.0.0' });
    expect(await requests(w)).toEqual({ 'extra-thing': '^1.0.0', other: '^1.0.0', strpad: '^1.0.0' });
    // granary.yaml is what the user wrote, untouched.
    expect(await w.read('granary.yaml')).toBe(
      '# widened by hand\ndependencies:\n  strpad: ^1.0.0\n  other: ^1.0.0\n  extra-thing: ^1.0.0\n',
    );
    expect((await w.run(['install', '--frozen'])).code).toBe(0);
  });

  it('a project with a lockfile and no granary.yaml (an earlier granary) keeps working; the first change writes granary.yaml', async () => {
    const w = await projectWorld([strpad10, other10]);
    expect((await w.run(['install', 'strpad', '--registry', w.spec])).code).toBe(0);
    // As an earlier granary left it: requests "*", no granary.yaml.
    const lock = JSON.parse((await w.read('granary.lock'))!);
    const legacy = `${JSON.stringify({ ...lock, requests: { strpad: '*' } }, null, 2)}\n`;
    await writeFile(join(w.project, 'granary.lock'), legacy);
    await rm(join(w.project, 'granary.yaml'));
    await rm(join(w.project, 'granary_packages'), { recursive: true });

    const plain = await w.run(['install', '--json']);
    expect(plain.code, plain.out).toBe(0);
    expect(plain.json).toMatchObject({ lockfileStatus: 'kept', manifestStatus: 'absent' });
    expect((await w.run(['install', '--frozen'])).code).toBe(0);
    expect((await w.run(['update'])).code).toBe(0);
    expect(await w.read('granary.yaml')).toBeUndefined();
    expect(await w.read('granary.lock')).toBe(legacy);
    expect(await w.files('granary_packages')).toEqual(packageFiles(strpad10));

    // A new version, and the package asked for again: granary.yaml is written with every request.
    await w.registry.publish([{ ...strpad10, deprecated: 'old' }, strpad16, other10]);
    const r = await w.run(['install', 'strpad', 'other@1']);
    expect(r.code, r.err).toBe(0);
    expect(await w.read('granary.yaml')).toBe('dependencies:\n  other: 1.x\n  strpad: ^1.6.0\n');
    expect(await requests(w)).toEqual({ other: '1.x', strpad: '^1.6.0' });
    expect(await locked(w)).toEqual({ other: '1.0.0', strpad: '1.6.0' });
  });
});
