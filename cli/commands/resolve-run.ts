/** What `granary resolve` does once it runs: loaded by its action. */
import { parseSpec, resolve } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { openRegistryFromFlags } from './registry-run.js';
import type { ResolveFlags } from './resolve.js';

export async function runResolve(ctx: CommandContext, specs: string[], opts: ResolveFlags): Promise<CommandResult> {
  const requests = specs.map(parseSpec);
  const registry = await openRegistryFromFlags(ctx, opts);
  const resolution = await resolve(registry, requests, { includePrerelease: Boolean(opts.prerelease) });
  const packages = [...resolution.packages.values()].map((l) => ({
    name: l.name,
    version: l.version,
    revision: l.revision,
    integrity: l.integrity,
    asset: l.asset,
    ...(l.yanked ? { yanked: true } : {}),
    ...(l.deprecated ? { deprecated: l.deprecated } : {}),
  }));
  const width = Math.max(0, ...packages.map((p) => p.name.length));
  const text = packages
    .map((p) => `${p.name.padEnd(width)}  ${p.version}${p.deprecated ? `  (deprecated: ${p.deprecated})` : ''}`)
    .join('\n');
  return {
    ok: true,
    text: text || '(nothing to install)',
    json: { ok: true, roots: requests, snapshot: registry.snapshot?.version ?? null, packages },
  };
}
