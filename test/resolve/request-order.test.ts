// docs/ranges.md, "Which versions are chosen": the answer depends on the requests, never on their order.
import { describe, expect, it } from 'vitest';
import { parseSpec, resolve } from '../../client/resolve/resolve.js';
import { memoryRegistry, type Spec } from './memory-registry.js';

async function picks(spec: Spec, requests: string[]): Promise<string[]> {
  const result = await resolve(memoryRegistry(spec), requests.map(parseSpec));
  return [...result.packages.values()].map((l) => `${l.name}@${l.version}`);
}

/** Every order of `items`. */
function orders<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((first, i) =>
    orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [first, ...rest]),
  );
}

describe('resolve: request order', () => {
  // alpha@2 and omega@2 cannot be chosen together: one of them gets its newest version, the other an older one.
  const tradeOff: Spec = {
    alpha: { '1.0.0': { deps: { shared: '^1.0.0' } }, '2.0.0': { deps: { shared: '^2.0.0' } } },
    omega: { '1.0.0': { deps: { shared: '^2.0.0' } }, '2.0.0': { deps: { shared: '^1.0.0' } } },
    shared: { '1.0.0': {}, '2.0.0': {} },
  };

  it('gives the same answer whichever of two trading-off requests comes first', async () => {
    const forward = await picks(tradeOff, ['alpha', 'omega']);
    expect(await picks(tradeOff, ['omega', 'alpha'])).toEqual(forward);
    // The package first by name gets its newest version.
    expect(forward).toEqual(['alpha@2.0.0', 'omega@1.0.0', 'shared@2.0.0']);
  });

  it('decides by name, not by the order packages are discovered in', async () => {
    // zeta is requested, alpha only reached through entry → middle: name order still decides alpha first.
    const spec: Spec = {
      alpha: tradeOff.alpha!,
      zeta: tradeOff.omega!,
      shared: tradeOff.shared!,
      entry: { '1.0.0': { deps: { middle: '*' } } },
      middle: { '1.0.0': { deps: { alpha: '*' } } },
    };
    const answers = new Set<string>();
    for (const order of orders(['entry', 'zeta', 'shared'])) answers.add((await picks(spec, order)).join(' '));
    expect([...answers]).toEqual(['alpha@2.0.0 entry@1.0.0 middle@1.0.0 shared@2.0.0 zeta@1.0.0']);
  });
});
