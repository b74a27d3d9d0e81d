import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { branch, definition, defPath, registry, SETTINGS, validatePr } from './fixture.js';

const LOCAL = { ...SETTINGS, sources: { schemes: ['https', 'file'] as Array<'https' | 'file'> } };

async function sourceRepo(): Promise<string> {
  const src = await createRepo(join(await tempDir(), 'left-pad'));
  await src.write('index.js', 'export const pad = (s) => s;\n');
  await src.commit('first');
  await src.tag('v1.0.0');
  return pathToFileURL(src.dir).href;
}

describe('granary validate --base: the dry-run pack of added versions', () => {
  it('refuses a ref the source does not have, at the ref line, unless --offline', async () => {
    const url = await sourceRepo();
    const repo = await registry({}, LOCAL);
    await branch(repo);
    await repo.write(defPath('left-pad', '0.1.0'), definition('left-pad', '0.1.0', { location: { git: url } }));
    await repo.commit('left-pad 0.1.0');

    const online = await validatePr(repo, 'alice');
    expect(online.code).toBe(1);
    expect(online.lines).toEqual([
      expect.stringMatching(/^packages\/left-pad\/0\.1\.0\.yaml:7:1: error: .*v0\.1\.0.* \[ref-missing\]$/),
    ]);

    const offline = await validatePr(repo, 'alice', '--offline');
    expect(offline.code).toBe(0);
  });

  it('refuses an exponential glob at once, naming it, where it used to freeze the gate', async () => {
    const src = await createRepo(join(await tempDir(), 'globbed'));
    await src.write(`${'a'.repeat(26)}`, 'bait\n');
    await src.write('index.js', 'export {};\n');
    await src.commit('first');
    await src.tag('v1.0.0');
    const repo = await registry({}, LOCAL);
    await branch(repo);
    const files = { include: ['*(@(a|a|a|a))x'] };
    const def = definition('globbed', '1.0.0', { location: { git: pathToFileURL(src.dir).href }, files });
    await repo.write(defPath('globbed', '1.0.0'), def);
    await repo.commit('globbed 1.0.0');
    const run = await validatePr(repo, 'alice');
    expect(run.code).toBe(1);
    expect(run.lines.join('\n')).toMatch(/"\*\(@\(a\|a\|a\|a\)\)x" uses groups or extglobs/);
  });

  it('passes a version whose tag exists, and refuses a commit pin that does not match', async () => {
    const url = await sourceRepo();
    const repo = await registry({}, LOCAL);
    await branch(repo);
    await repo.write(defPath('left-pad', '1.0.0'), definition('left-pad', '1.0.0', { location: { git: url } }));
    await repo.commit('left-pad 1.0.0');
    expect((await validatePr(repo, 'alice')).code).toBe(0);

    await repo.write(
      defPath('left-pad', '1.0.0'),
      definition('left-pad', '1.0.0', { location: { git: url }, commit: 'a'.repeat(40) }),
    );
    await repo.commit('pin');
    const pinned = await validatePr(repo, 'alice');
    expect(pinned.code).toBe(1);
    expect(pinned.lines.join('\n')).toMatch(/:\d+:\d+: error: .*\[commit-mismatch\]/);
  });

  it('uses the limits of registry.yaml at base: a pull request cannot loosen them', async () => {
    const url = await sourceRepo();
    const repo = await registry({}, { ...LOCAL, limits: { ...LOCAL.limits, maxFiles: 1 } });
    await branch(repo);
    await repo.write('registry.yaml', stringify({ ...LOCAL, limits: { ...LOCAL.limits, maxFiles: 1000 } }));
    await repo.write(
      defPath('left-pad', '1.0.0'),
      definition('left-pad', '1.0.0', { location: { git: url }, owners: ['maya'] }),
    );
    await repo.commit('left-pad 1.0.0 and looser limits');
    const run = await validatePr(repo, 'maya');
    expect(run.lines.join('\n')).toMatch(/\[pack-limit\]/);
  });

  it('refuses a tarball with no source file (only read-me and license), and says when a files.add pattern matches nothing', async () => {
    const src = await createRepo(join(await tempDir(), 'docs-only'));
    await src.write('README.md', '# docs only\n');
    await src.write('LICENSE', 'MIT\n');
    await src.write('src/Main.purs', 'module Main where\n');
    await src.commit('first');
    await src.tag('v1.0.0');
    const url = pathToFileURL(src.dir).href;
    const repo = await registry({}, LOCAL);
    await branch(repo);
    // rough-notation's real mistake: patterns that match nothing, so the tarball holds README and LICENSE only.
    const files = { include: ['README.md', 'LICENSE'], add: ['src/**/*.purs src/**/*.js'] };
    await repo.write(defPath('notes', '1.0.0'), definition('notes', '1.0.0', { location: { git: url }, files }));
    await repo.commit('notes 1.0.0');
    const bad = await validatePr(repo, 'alice');
    expect(bad.code).toBe(1);
    expect(bad.lines).toEqual([
      expect.stringMatching(
        /^packages\/notes\/1\.0\.0\.yaml:\d+:\d+: error: the tarball would hold only .*LICENSE.*README\.md.*\[sources-missing\]$/,
      ),
      expect.stringMatching(
        /^packages\/notes\/1\.0\.0\.yaml:\d+:\d+: warning: files\.add pattern "src\/\*\*\/\*\.purs src\/\*\*\/\*\.js" matches no file .*\[files-unmatched\]$/,
      ),
    ]);
    // The nearest passing definition: the pattern written as two.
    const fixed = { include: ['README.md', 'LICENSE'], add: ['src/**/*.purs', 'src/**/*.js'] };
    await repo.write(defPath('notes', '1.0.0'), definition('notes', '1.0.0', { location: { git: url }, files: fixed }));
    await repo.commit('two patterns');
    const good = await validatePr(repo, 'alice');
    expect(good.code, good.out).toBe(0);
    expect(good.lines).toEqual([expect.stringMatching(/"src\/\*\*\/\*\.js" matches no file .*\[files-unmatched\]$/)]);
  });
});
