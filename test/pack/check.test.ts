import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Problem } from '../../core/errors.js';
import { registryConfigFrom } from '../../core/registry-config.js';
import { loadYaml } from '../../core/yaml.js';
import { createPackableCheck } from '../../curator/pack/check.js';
import type { PackageDefinition, RegistryFile } from '../../schema/types.js';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { localRegistry, recordingRunner } from './fixtures.js';
import { BSD_3_CLAUSE_LICENSE, MIT_LICENSE } from '../helpers/license-texts.js';

function definitionText(url: string, ref: string, extra = ''): string {
  return ['name: demo', 'version: 1.0.0', 'license: MIT', 'location:', `  git: ${url}`, `ref: ${ref}`, extra].join(
    '\n',
  );
}

async function upstream() {
  const repo = await createRepo();
  await repo.write('index.ts', 'export {};\n');
  await repo.write('LICENSE', MIT_LICENSE);
  await repo.write('big.bin', Buffer.alloc(4000, 1));
  await repo.link('ln', 'index.ts');
  const commit = await repo.commit('x');
  await repo.tag('v1.0.0');
  return { repo, commit };
}

const parse = (text: string) => loadYaml(text).value as PackageDefinition;
const FILE = 'packages/demo/1.0.0.yaml';

describe('createPackableCheck', () => {
  it('passes a packable version, reporting left-out links as warnings', async () => {
    const { repo } = await upstream();
    const text = definitionText(`file://${repo.dir}`, 'v1.0.0');
    const problems = await createPackableCheck(localRegistry(), { cwd: '/nonexistent' })(parse(text), FILE, text);
    expect(problems).toEqual([
      {
        file: FILE,
        line: 4,
        col: 1,
        severity: 'warning',
        rule: 'pack-warning',
        message: expect.stringMatching(/^symlink ln left out/),
      },
    ]);
  });

  it('points a missing tag at the ref line, reading the file from the registry tree', async () => {
    const { repo } = await upstream();
    const cwd = await tempDir();
    const text = definitionText(`file://${repo.dir}`, 'v2.0.0');
    await mkdir(join(cwd, 'packages/demo'), { recursive: true });
    await writeFile(join(cwd, FILE), text);
    const [problem, ...rest] = await createPackableCheck(localRegistry(), { cwd })(parse(text), FILE);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ file: FILE, line: 6, col: 1, severity: 'error', rule: 'ref-missing' });
    expect(problem!.message).toMatch(/tag v2\.0\.0 not found.*push the tag/);
  });

  it('points a commit mismatch at the commit line', async () => {
    const { repo } = await upstream();
    const text = definitionText(`file://${repo.dir}`, 'v1.0.0', `commit: ${'a'.repeat(40)}`);
    const problems = await createPackableCheck(localRegistry(), { cwd: '/' })(parse(text), FILE, text);
    expect(problems).toEqual([expect.objectContaining({ line: 7, col: 1, rule: 'commit-mismatch' })]);
  });

  it('points a disallowed host at the location line without running git', async () => {
    const runner = recordingRunner(false);
    const text = definitionText('https://evil.example.net/o/r.git', 'v1.0.0');
    const problems = await createPackableCheck(localRegistry(), { cwd: '/', git: runner })(parse(text), FILE, text);
    expect(problems).toEqual([
      expect.objectContaining({ line: 5, col: 3, rule: 'source-not-allowed', severity: 'error' }),
    ]);
    expect(runner.calls).toEqual([]);
  });

  it('reports a limit as pack-limit at the files key', async () => {
    const { repo } = await upstream();
    const text = definitionText(`file://${repo.dir}`, 'v1.0.0', 'files:\n  include: ["**"]\n');
    const problems = await createPackableCheck(localRegistry({ maxFileBytes: 1000 }), { cwd: '/' })(
      parse(text),
      FILE,
      text,
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 7,
        col: 1,
        rule: 'pack-limit',
        message: expect.stringMatching(/maxFileBytes.*big\.bin/),
      }),
    ]);
  });

  it('refuses a license the LICENSE file contradicts, at the license line; the nearest passing names what the file grants', async () => {
    const repo = await createRepo();
    await repo.write('index.ts', 'export {};\n');
    await repo.write('LICENSE', BSD_3_CLAUSE_LICENSE);
    await repo.commit('x');
    await repo.tag('v1.0.0');
    const check = createPackableCheck(localRegistry(), { cwd: '/' });
    const bad = definitionText(`file://${repo.dir}`, 'v1.0.0');
    expect(await check(parse(bad), FILE, bad)).toEqual([
      {
        file: FILE,
        line: 3,
        col: 1,
        severity: 'error',
        rule: 'license-mismatch',
        message: expect.stringMatching(
          /^LICENSE at v1\.0\.0 reads as BSD-3-Clause \(9\d% alike\), which license "MIT" does not name; MIT is \d+% alike: write the license the file grants \(e\.g\. license: BSD-3-Clause\)/,
        ),
      },
    ]);
    const nearest = bad.replace('license: MIT', 'license: BSD-3-Clause');
    expect(await check(parse(nearest), FILE, nearest)).toEqual([]);
  });

  it('warns of a tarball without a license file, refuses it when registry.yaml requires one, and is silent when off', async () => {
    const repo = await createRepo();
    await repo.write('index.ts', 'export {};\n');
    await repo.commit('x');
    await repo.tag('v1.0.0');
    const text = definitionText(`file://${repo.dir}`, 'v1.0.0');
    const run = (licenseFile: 'checked' | 'required' | 'off') =>
      createPackableCheck({ ...localRegistry(), licenseFile }, { cwd: '/' })(parse(text), FILE, text);
    expect(await run('checked')).toEqual([
      expect.objectContaining({ line: 3, severity: 'warning', rule: 'license-file-missing' }),
    ]);
    expect(await run('required')).toEqual([
      expect.objectContaining({ line: 3, severity: 'error', rule: 'license-file-missing' }),
    ]);
    expect(await run('off')).toEqual([]);
  });
});

/** What the table's definitions point at: real repositories, and a host that accepts connections and never answers. */
interface Sources {
  /** index.ts, LICENSE (MIT), big.bin (4000 bytes), pkg/index.ts and pkg/LICENSE, tagged v1.0.0. */
  plain: string;
  /** The commit v1.0.0 of `plain` points at. */
  commit: string;
  /** index.ts, LICENSE and a symlink `ln`, tagged v1.0.0. */
  linked: string;
  /** A directory that is no repository at all (it does not exist). */
  nowhere: string;
  /** `127.0.0.1:<port>` of a loopback server that takes every connection and never says a word. */
  silent: string;
}

/** The text of a definition: license on line 3, `git:` on line 5, then `subdir:` when given, `ref:`, and `extra`. */
function definitionOf(d: { git: string; subdir?: string; ref?: string; license?: string; extra?: string }): string {
  const lines = ['name: demo', 'version: 1.0.0', `license: ${d.license ?? 'MIT'}`, 'location:', `  git: ${d.git}`];
  if (d.subdir !== undefined) lines.push(`  subdir: ${d.subdir}`);
  lines.push(`ref: ${d.ref ?? 'v1.0.0'}`);
  if (d.extra !== undefined) lines.push(d.extra);
  return `${lines.join('\n')}\n`;
}

interface RuleCase {
  rule: string;
  severity: Problem['severity'];
  /** The definition line the problem points at. */
  line: number;
  bad: (s: Sources) => string;
  /** The bad definition with its one fault mended. */
  nearest: (s: Sources) => string;
  /** registry.yaml settings for both (over localRegistry's: https and file sources, github.com and git.example.org). */
  registry?: (s: Sources) => Partial<RegistryFile>;
}

const RULES: RuleCase[] = [
  {
    rule: 'source-not-allowed',
    severity: 'error',
    line: 5,
    bad: () => definitionOf({ git: 'https://git.example.com/acme/demo.git' }),
    // Without a network, the only allowed source that can pass is a file:// one.
    nearest: (s) => definitionOf({ git: `file://${s.plain}` }),
  },
  {
    rule: 'source-invalid',
    severity: 'error',
    line: 5,
    bad: (s) => definitionOf({ git: `file://${s.plain.replace(/\/([^/]+)$/, '/./$1')}` }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}` }),
  },
  {
    rule: 'source-unreachable',
    severity: 'error',
    line: 5,
    bad: (s) => definitionOf({ git: `file://${s.nowhere}` }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}` }),
  },
  {
    rule: 'source-timeout',
    severity: 'error',
    line: 5,
    // https to a host that never answers the TLS handshake: git waits until gitTimeoutSeconds stops it.
    bad: (s) => definitionOf({ git: `https://${s.silent}/acme/demo.git` }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}` }),
    registry: (s) => ({
      sources: { schemes: ['https', 'file'], hosts: [s.silent] },
      limits: { gitTimeoutSeconds: 1 },
    }),
  },
  {
    rule: 'subdir-missing',
    severity: 'error',
    line: 6,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, subdir: 'lib' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, subdir: 'pkg' }),
  },
  {
    rule: 'ref-invalid',
    severity: 'error',
    line: 6,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, ref: 'v1.0.0..v2.0.0' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, ref: 'v1.0.0' }),
  },
  {
    rule: 'ref-missing',
    severity: 'error',
    line: 6,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, ref: 'v2.0.0' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, ref: 'v1.0.0' }),
  },
  {
    rule: 'commit-mismatch',
    severity: 'error',
    line: 7,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, extra: `commit: ${'a'.repeat(40)}` }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, extra: `commit: ${s.commit}` }),
  },
  {
    rule: 'pack-limit',
    severity: 'error',
    line: 7,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["*.md"]' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["*.bin"]' }),
    registry: () => ({ limits: { maxFileBytes: 2000 } }),
  },
  {
    rule: 'pack-input',
    severity: 'error',
    line: 7,
    // An extglob whose alternatives make matching exponential.
    bad: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["*(@(a|a|a|a))x"]' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["a*x"]' }),
  },
  {
    rule: 'pack-warning',
    severity: 'warning',
    line: 4,
    bad: (s) => definitionOf({ git: `file://${s.linked}` }),
    nearest: (s) => definitionOf({ git: `file://${s.linked}`, extra: 'files:\n  exclude: ["ln"]' }),
  },
  {
    rule: 'sources-missing',
    severity: 'error',
    line: 7,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  include: ["LICENSE"]' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  include: ["LICENSE", "index.ts"]' }),
  },
  {
    rule: 'files-unmatched',
    severity: 'warning',
    line: 9,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  add:\n    - lib/**' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  add:\n    - pkg/**' }),
  },
  {
    rule: 'license-mismatch',
    severity: 'error',
    line: 3,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, license: 'Apache-2.0' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, license: 'MIT' }),
  },
  {
    rule: 'license-file-missing',
    severity: 'warning',
    line: 3,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["LICENSE"]' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["*.md"]' }),
  },
  {
    rule: 'license-file-missing',
    severity: 'error',
    line: 3,
    bad: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["LICENSE"]' }),
    nearest: (s) => definitionOf({ git: `file://${s.plain}`, extra: 'files:\n  exclude: ["*.md"]' }),
    registry: () => ({ licenseFile: 'required' }),
  },
];

/** The rule ids of a docs table: the first table after `heading`, one id in backticks at the start of each row. */
function tableRules(doc: string, heading: string): string[] {
  const text = readFileSync(join(import.meta.dirname, '../../docs', doc), 'utf8');
  const start = text.indexOf('\n|', text.indexOf(heading));
  const table = text.slice(start, text.indexOf('\n\n', start));
  return [...table.matchAll(/^\| `([a-z-]+)`/gm)].map((m) => m[1]!);
}

describe('every dry-run pack rule: a failing definition and the nearest one that passes', () => {
  let sources: Sources;
  let root: string;
  const held = new Set<Socket>();
  const silent = createServer((socket) => void held.add(socket));

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'granary-rules-'));
    const plain = await createRepo(join(root, 'plain'));
    await plain.write('index.ts', 'export {};\n');
    await plain.write('LICENSE', MIT_LICENSE);
    await plain.write('big.bin', Buffer.alloc(4000, 1));
    await plain.write('pkg/index.ts', 'export {};\n');
    await plain.write('pkg/LICENSE', MIT_LICENSE);
    const commit = await plain.commit('x');
    await plain.tag('v1.0.0');
    const linked = await createRepo(join(root, 'linked'));
    await linked.write('index.ts', 'export {};\n');
    await linked.write('LICENSE', MIT_LICENSE);
    await linked.link('ln', 'index.ts');
    await linked.commit('x');
    await linked.tag('v1.0.0');
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    sources = {
      plain: plain.dir,
      commit,
      linked: linked.dir,
      nowhere: join(root, 'nowhere'),
      silent: `127.0.0.1:${(silent.address() as AddressInfo).port}`,
    };
  });

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    await rm(root, { recursive: true, force: true });
  });

  const checkWith = (settings: Partial<RegistryFile> = {}) => {
    const registry = registryConfigFrom({ name: 'test', sources: localRegistry().sources, ...settings });
    const check = createPackableCheck(registry, { cwd: '/' });
    return (text: string) => check(parse(text), FILE, text);
  };

  it.each(RULES.map((c) => [`${c.rule} (${c.severity})`, c] as const))('%s', async (_name, c) => {
    const check = checkWith(c.registry?.(sources));
    const bad = c.bad(sources);
    expect(await check(bad), bad).toEqual([
      expect.objectContaining({ file: FILE, line: c.line, severity: c.severity, rule: c.rule }),
    ]);
    const nearest = c.nearest(sources);
    expect(await check(nearest), nearest).toEqual([]);
  });

  // `pack-failed`, the catch-all for failures nobody foresaw, has no definition that produces it and no row in either table.
  it('covers every rule id of the dry-run tables in docs/validation.md and docs/packing.md', () => {
    const covered = [...new Set(RULES.map((c) => c.rule))].sort();
    expect(tableRules('validation.md', 'The dry-run pack of each added version').sort()).toEqual(covered);
    expect(tableRules('packing.md', '## In the pull-request gate').sort()).toEqual(covered);
  });
});
