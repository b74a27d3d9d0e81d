import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../core/yaml.js';
import { createPackableCheck } from '../../curator/pack/check.js';
import type { PackageDefinition } from '../../schema/types.js';
import { createRepo } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { localRegistry, recordingRunner } from './fixtures.js';

function definitionText(url: string, ref: string, extra = ''): string {
  return ['name: demo', 'version: 1.0.0', 'license: MIT', 'location:', `  git: ${url}`, `ref: ${ref}`, extra].join(
    '\n',
  );
}

async function upstream() {
  const repo = await createRepo();
  await repo.write('index.ts', 'export {};\n');
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
});
