/** Shared setup for the packer tests: a registry allowing file:// sources and a definition pointing at a repo. */
import { registryConfigFrom, type RegistryConfig } from '../../core/registry-config.js';
import type { RegistryLimits, PackageDefinition } from '../../schema/types.js';
import { gitRunner, type GitCallOptions, type GitRunner, type GitStartOptions } from '../../core/git/run.js';
import { createRepo, type TestRepo } from '../helpers/git.js';

export function localRegistry(limits: RegistryLimits = {}): RegistryConfig {
  return registryConfigFrom({
    name: 'test',
    sources: { schemes: ['https', 'file'], hosts: ['github.com', 'git.example.org'] },
    limits,
  });
}

export function definition(dir: string, extra: Partial<PackageDefinition> = {}): PackageDefinition {
  return {
    name: 'demo',
    version: '1.0.0',
    license: 'MIT',
    location: { git: `file://${dir}` },
    ref: 'v1.0.0',
    ...extra,
  };
}

/** A runner that records every git call and forwards it (or refuses, to prove nothing ran). */
export function recordingRunner(forward = true): GitRunner & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    run(dir: string, args: readonly string[], options?: GitCallOptions) {
      calls.push([...args]);
      if (!forward) return Promise.reject(new Error('git must not run'));
      return gitRunner.run(dir, args, options);
    },
    start(dir: string, args: readonly string[], options?: GitStartOptions) {
      calls.push([...args]);
      if (!forward) throw new Error('git must not run');
      return gitRunner.start(dir, args, options);
    },
  };
}

/** A source repository tagged v1.0.0 whose files exercise sorting, modes, dotfiles and the fixed excludes. */
export async function sampleRepo(): Promise<TestRepo> {
  const repo = await createRepo();
  await repo.write('README.md', '# demo\n');
  await repo.write('src/index.ts', 'export const answer = 42;\n', 0o600);
  await repo.write('src/util/strings.ts', 'export const upper = (s: string) => s.toUpperCase();\n');
  await repo.write('bin/cli.sh', '#!/bin/sh\necho demo\n', 0o700);
  await repo.write('B-upper.txt', 'sorts before lowercase\n');
  await repo.write('a-b/c.txt', 'dash sorts before slash\n');
  await repo.write('.eslintrc', '{}\n');
  await repo.write('node_modules/dep/index.js', 'module.exports = 1;\n');
  await repo.commit('release');
  await repo.tag('v1.0.0');
  return repo;
}
