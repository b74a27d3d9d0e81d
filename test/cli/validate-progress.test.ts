// `granary validate --base` dry-run packs each added version (it fetches sources: the slow part) and says so.
import { describe, expect, it } from 'vitest';
import { lineProgress } from '../../client/progress.js';
import { validateRepo } from '../../curator/validate/run-on-repo.js';
import { branch, defPath, definition, registry } from '../validate/fixture.js';

describe('validate progress', () => {
  it('is told of each added version as it is packed', async () => {
    const repo = await registry();
    await branch(repo);
    await repo.write(defPath('alpha', '1.0.0'), definition('alpha', '1.0.0'));
    await repo.write(defPath('beta', '1.0.0'), definition('beta', '1.0.0'));
    await repo.commit('two packages');
    const packed: string[] = [];
    const lines: string[] = [];
    const report = await validateRepo({
      repo: repo.dir,
      base: 'main',
      head: 'pr',
      author: 'alice',
      checkPackable: async (d) => {
        packed.push(`${d.name}@${d.version}`);
        return [];
      },
      progress: lineProgress((text) => void lines.push(text)),
    });
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(packed).toEqual(['alpha@1.0.0', 'beta@1.0.0']);
    expect(lines).toEqual(['packing 1/2 alpha@1.0.0\n', 'packing 2/2 beta@1.0.0\n']);
  });
});
