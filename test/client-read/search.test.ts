import { describe, expect, it } from 'vitest';
import { searchPackages } from '../../client/search.js';
import type { PackageSummary } from '../../schema/types.js';

const p = (name: string, extra: Partial<PackageSummary> = {}): PackageSummary => ({
  name,
  latest: '1.0.0',
  versions: 1,
  ...extra,
});

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

  it('ranks exact name > prefix > substring > keyword > description word, deprecated last within a tier, ties by name', () => {
    expect(searchPackages(file, 'Parser').map((h) => `${h.name}:${h.match}`)).toEqual([
      'parser:name',
      'parser-utils:name-prefix',
      'fast-parser:name-substring',
      'old-parser:name-substring',
      'yaml:keyword',
      'ini:keyword',
      'toml:description',
    ]);
  });

  it('matches every word of a multi-word query, and honours the limit', () => {
    expect(searchPackages(file, 'command line').map((h) => h.name)).toEqual(['argparse']);
    expect(searchPackages(file, 'parser', 2)).toHaveLength(2);
    expect(searchPackages(file, '   ')).toEqual([]);
  });
});
