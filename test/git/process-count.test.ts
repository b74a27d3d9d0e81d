// How many git processes one published version costs: a `git` first on PATH logs every start, then runs the real one.
import { signingIo } from '../helpers/keys.js';
import { execFileSync } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/cli.js';
import { createFixture } from '../curate/fixture.js';
import { tempDir } from '../helpers/tmp.js';

const MAX_PROCESSES = 12;

/** A directory holding a `git` that appends its arguments to `log` and execs the real git. */
async function loggingGit(): Promise<{ bin: string; log: string }> {
  const real = execFileSync('sh', ['-c', 'command -v git']).toString('utf8').trim();
  const bin = await tempDir('granary-git-log-');
  const log = join(bin, 'calls.log');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  await writeFile(join(bin, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> ${quote(log)}\nexec ${quote(real)} "$@"\n`);
  await chmod(join(bin, 'git'), 0o755);
  await writeFile(log, '');
  return { bin, log };
}

/** The git command of a logged argument line, past `-c name=value` settings and global options. */
function subcommand(line: string): string {
  const words = line.split(' ');
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '-c') i++;
    else if (!words[i]!.startsWith('-')) return words.slice(i, i + 2).join(' ');
  }
  return line;
}

/** Run `granary curate` on `repo` with the logging git first on PATH; the git commands it started. */
async function curatedWith(git: { bin: string; log: string }, repo: string): Promise<string[]> {
  await writeFile(git.log, '');
  const saved = process.env['PATH'];
  process.env['PATH'] = `${git.bin}:${saved ?? ''}`;
  const io = signingIo();
  try {
    expect(await main(['curate', '--repo', repo], io), io.text()).toBe(0);
  } finally {
    process.env['PATH'] = saved;
  }
  return (await readFile(git.log, 'utf8')).split('\n').filter(Boolean).map(subcommand);
}

describe('git processes per published version', () => {
  it(`publishes a new version with at most ${MAX_PROCESSES} git processes, the first one and the next`, async () => {
    const f = await createFixture();
    const url = await f.source('alpha', ['1.0.0', '1.1.0']);
    await f.registry.write('registry.yaml', f.registryYaml(`stores: ["fs:${f.storeDir}"]`));
    await f.registry.write('packages/alpha/1.0.0.yaml', f.definition('alpha', '1.0.0', url));
    await f.registry.commit('Publish alpha 1.0.0');
    const git = await loggingGit();

    const first = await curatedWith(git, f.registry.dir);
    expect(first.length, `git processes:\n${first.join('\n')}`).toBeLessThanOrEqual(MAX_PROCESSES);
    expect(await f.asset('alpha/alpha-1.0.0.tar.gz')).toBeDefined();

    await f.registry.write('packages/alpha/1.1.0.yaml', f.definition('alpha', '1.1.0', url));
    await f.registry.commit('Publish alpha 1.1.0');
    const next = await curatedWith(git, f.registry.dir);
    expect(next.length, `git processes:\n${next.join('\n')}`).toBeLessThanOrEqual(MAX_PROCESSES);
    expect(await f.asset('alpha/alpha-1.1.0.tar.gz')).toBeDefined();
    expect((await f.indexFile('al/ph/alpha'))!.trim().split('\n')).toHaveLength(2);
    // One object reader per repository per run: the registry's and the source's.
    expect(next.filter((c) => c === 'cat-file --batch')).toHaveLength(2);
  });
});
