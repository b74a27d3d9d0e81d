/** Shared setup for the packer tests: a registry allowing file:// sources and a definition pointing at a repo. */
import { registryConfigFrom, type RegistryConfig } from '../../core/registry-config.js';
import type { RegistryLimits, PackageDefinition } from '../../schema/types.js';
import type { GitCallOptions, GitRunner, ObjectStream } from '../../curator/source/git-runner.js';
import { createGitRunner } from '../../curator/source/git-runner.js';

export function localRegistry(limits: RegistryLimits = {}): RegistryConfig {
  return registryConfigFrom({ name: 'test', sources: { schemes: ['https', 'file'], hosts: ['github.com', 'git.example.org'] }, limits });
}

export function definition(dir: string, extra: Partial<PackageDefinition> = {}): PackageDefinition {
  return { name: 'demo', version: '1.0.0', license: 'MIT', location: { git: `file://${dir}` }, ref: 'v1.0.0', ...extra };
}

/** A runner that records every git call and forwards it (or refuses, to prove nothing ran). */
export function recordingRunner(forward = true): GitRunner & { calls: string[][] } {
  const inner = createGitRunner();
  const calls: string[][] = [];
  return {
    calls,
    run(dir: string, args: string[], options: GitCallOptions) {
      calls.push(args);
      if (!forward) return Promise.reject(new Error('git must not run'));
      return inner.run(dir, args, options);
    },
    read(dir: string, args: string[], options: GitCallOptions) {
      calls.push(args);
      if (!forward) return Promise.reject(new Error('git must not run'));
      return inner.read(dir, args, options);
    },
    readObjects(dir: string, ids: string[] | Promise<string[]>, options: GitCallOptions): ObjectStream {
      calls.push(['cat-file', '--batch']);
      if (!forward) throw new Error('git must not run');
      return inner.readObjects(dir, ids, options);
    },
  };
}
