import { describe, expect, it } from 'vitest';
import { searchPackages } from '../../client/search.js';
import type { PackageSummary } from '../../schema/types.js';

const p = (name: string, extra: Partial<PackageSummary> = {}): PackageSummary => ({
  name,
  latest: '1.0.0',
  versions: 1,
  ...extra,
});

// `granary search` ranks with the website's ranking (client/site/ranking.cjs, tested in test/site/ranking.test.ts):
// MiniSearch's text score (name weighted above keywords above description, the exact name doubled) inside
// 0.4·text + 0.3·popularity + 0.2·freshness + 0.1·quality. These summaries have no update time, downloads or
// quality, so only the text decides here; deprecated packages keep their place and are marked.
describe('searchPackages', () => {
  const file = {
    format: 2 as const,
    packages: [
      p('parser-utils', { description: 'helpers' }),
      p('argparse', { description: 'command line parsing' }),
      p('parser'),
      p('old-parser', { deprecated: 'use parser' }),
      p('fast-parser'),
      p('yaml', { keywords: ['parser', 'config'] }),
      p('toml', { description: 'a parser for TOML files' }),
      p('ini', { keywords: ['parser'], deprecated: 'gone' }),
    ],
  };

  it('ranks the exact name first, then other names, keywords and descriptions; ties by name', () => {
    expect(searchPackages(file, 'Parser').map((h) => `${h.name}:${h.match.join('+')}`)).toEqual([
      'parser:name',
      'fast-parser:name',
      'old-parser:name',
      'parser-utils:name',
      'ini:keywords',
      'yaml:keywords',
      'toml:description',
    ]);
    expect(searchPackages(file, 'Parser').find((h) => h.name === 'ini')?.deprecated).toBe('gone');
  });

  it('matches every word of a multi-word query, and honours the limit', () => {
    expect(searchPackages(file, 'command line').map((h) => h.name)).toEqual(['argparse']);
    expect(searchPackages(file, 'parser', { limit: 2 })).toHaveLength(2);
    expect(searchPackages(file, '   ')).toHaveLength(file.packages.length);
  });
});
