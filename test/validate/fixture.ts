/** Registry repositories for the gate's tests: a real git repo with registry.yaml on main, and a `pr` branch to judge. */
import { stringify } from 'yaml';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import type { RegistryFile } from '../../schema/types.js';
import { createRepo, type TestRepo } from '../helpers/git.js';

export const SETTINGS: RegistryFile = {
  name: 'test',
  trustees: ['tina'],
  maintainers: ['maya'],
  scopes: { acme: ['alice'] },
  reservedNames: ['forbidden'],
  limits: { maxPackagesPerPr: 3 },
  unpublishWindowHours: 72,
};

/** The YAML of a definition; `extra` adds or replaces keys (undefined removes one). */
export function definition(name: string, version: string, extra: Record<string, unknown> = {}): string {
  const value: Record<string, unknown> = {
    name,
    version,
    description: `The ${name} package.`,
    license: 'MIT',
    location: { github: `alice/${name.replace(/^@[^/]+\//, '')}` },
    ref: `v${version}`,
    owners: ['alice'],
    ...extra,
  };
  for (const [k, v] of Object.entries(value)) if (v === undefined) delete value[k];
  return stringify(value);
}

export const defPath = (name: string, version: string) => `packages/${name}/${version}.yaml`;

/** A registry on `main` holding `files` (path → content), committed. */
export async function registry(
  files: Record<string, string | Buffer> = {},
  settings: RegistryFile = SETTINGS,
): Promise<TestRepo> {
  const repo = await createRepo();
  await repo.write('registry.yaml', stringify(settings));
  await repo.write('packages/.gitkeep', '');
  await repo.write('overrides/.gitkeep', '');
  for (const [path, content] of Object.entries(files)) await repo.write(path, content);
  await repo.commit('registry');
  return repo;
}

/** Start the `pr` branch from main. */
export async function branch(repo: TestRepo): Promise<void> {
  await repo.git('checkout', '-q', '-b', 'pr');
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** The problem lines (`path:line:col: error: … [rule]`). */
  lines: string[];
}

/** Run the CLI in-process. */
export async function cli(...argv: string[]): Promise<CliRun> {
  const io = memoryIo();
  const code = await main(argv, io);
  const out = io.out.join('');
  return { code, out, err: io.err.join(''), lines: out.split('\n').filter((l) => /: (error|warning): /.test(l)) };
}

/**
 * Commit the working tree on `pr` and validate main..pr as a pull request by `author`. The rules are
 * judged `--offline` (their sources are not real repositories); test/validate/pack-gate.test.ts covers the dry-run pack.
 */
export async function judge(repo: TestRepo, author: string, ...flags: string[]): Promise<CliRun> {
  await repo.commit('change');
  return validatePr(repo, author, '--offline', ...flags);
}

/** Validate main..pr as it is committed, as a pull request by `author`; `flags` follow (e.g. `--offline`). */
export function validatePr(repo: TestRepo, author: string, ...flags: string[]): Promise<CliRun> {
  return cli('validate', '--repo', repo.dir, '--base', 'main', '--head', 'pr', '--author', author, ...flags);
}
