/** `granary resolve SPEC...`: the versions an install would use, or why there are none. */
import { resolve as resolvePath } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { defaultCacheDir, openRegistry } from '../../client/registry.js';
import { parseSpec, resolve } from '../../client/resolve/resolve.js';
import type { Registry } from '../../client/types.js';
import { runAction, type CommandContext } from '../command.js';

export interface RegistryFlags {
  registry?: string;
  trustKey?: string;
  cache?: string;
}

/** The flags every read command shares. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option('--registry <R>', 'the registry: an https:// URL of its index, a directory of index files, or a git clone (default $GRANARY_REGISTRY)')
    .option('--trust-key <KEY>', "pin the registry's public key (ed25519:…); unsigned, tampered or rolled-back indexes are refused (default $GRANARY_TRUST_KEY)")
    .option('--cache <DIR>', 'where HTTP responses and the highest snapshot seen are kept (default $GRANARY_CACHE or ~/.cache/granary)');
}

/** Open the registry named by the flags (or the environment); warnings go to stderr. */
export async function openRegistryFromFlags(ctx: CommandContext, flags: RegistryFlags): Promise<Registry> {
  const spec = flags.registry ?? ctx.io.env.GRANARY_REGISTRY;
  if (!spec) throw new UsageError('no registry given', { hint: 'pass --registry (an https:// URL, a directory of index files, or a git clone), or set GRANARY_REGISTRY' });
  return openRegistry(spec, {
    cwd: ctx.io.cwd,
    trustKey: flags.trustKey ?? ctx.io.env.GRANARY_TRUST_KEY,
    cacheDir: flags.cache !== undefined ? resolvePath(ctx.io.cwd, flags.cache) : defaultCacheDir(ctx.io.env),
    warn: (message) => ctx.io.stderr(`warning: ${message}\n`),
  });
}

export function registerResolve(program: Command, ctx: CommandContext): void {
  addRegistryOptions(program.command('resolve').description('choose the highest versions that satisfy every range, or explain why none do').argument('<spec...>', 'name or name@range, e.g. prelude@^6.0.0'))
    .option('--prerelease', 'allow prerelease versions')
    .option('--json', 'print the result as JSON')
    .action(
      runAction(ctx, async (specs: string[], opts: RegistryFlags & { prerelease?: boolean }) => {
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
        const text = packages.map((p) => `${p.name.padEnd(width)}  ${p.version}${p.deprecated ? `  (deprecated: ${p.deprecated})` : ''}`).join('\n');
        return { ok: true, text: text || '(nothing to install)', json: { ok: true, roots: requests, snapshot: registry.snapshot?.version ?? null, packages } };
      }),
    );
}
