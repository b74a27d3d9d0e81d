/** Opening a registry for the read commands (resolve, info, search, install, verify, mirror): loaded by their actions only. */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { defaultCacheDir, openRegistry } from '../../client/registry.js';
import type { Registry } from '../../client/types.js';
import type { CommandContext } from '../command.js';
import type { RegistryFlags } from './resolve.js';

/** `--cache`, else $GRANARY_CACHE, else ~/.cache/granary. */
export function cacheDirOf(flag: string | undefined, ctx: CommandContext): string {
  return flag !== undefined ? resolvePath(ctx.io.cwd, flag) : defaultCacheDir(ctx.io.env);
}

/** The root.json `--trust-root` (else $GRANARY_TRUST_ROOT) names, read; undefined when neither is set. */
export async function trustRootOf(flag: string | undefined, ctx: CommandContext): Promise<Buffer | undefined> {
  const path = flag ?? (ctx.io.env.GRANARY_TRUST_ROOT || undefined);
  if (path === undefined) return undefined;
  const where = resolvePath(ctx.io.cwd, path);
  try {
    return await readFile(where);
  } catch (cause) {
    throw new UsageError(
      `cannot read the trusted root named by ${flag !== undefined ? '--trust-root' : 'GRANARY_TRUST_ROOT'}`,
      {
        where,
        cause,
        hint: "pass the registry's root.json (its metadata/1.root.json, obtained from its operators)",
      },
    );
  }
}

/** Open the registry named by the flags (or the environment); warnings go to stderr. */
export async function openRegistryFromFlags(ctx: CommandContext, flags: RegistryFlags): Promise<Registry> {
  const spec = flags.registry ?? ctx.io.env.GRANARY_REGISTRY;
  if (!spec)
    throw new UsageError('no registry given', {
      hint: 'pass --registry (an https:// URL, a directory of index files, or a git clone), or set GRANARY_REGISTRY',
    });
  const trustRoot = await trustRootOf(flags.trustRoot, ctx);
  return openRegistry(spec, {
    cwd: ctx.io.cwd,
    ...(trustRoot === undefined ? {} : { trustRoot }),
    ...(flags.snapshot === undefined ? {} : { snapshot: flags.snapshot }),
    trustKey: flags.trustKey ?? ctx.io.env.GRANARY_TRUST_KEY,
    cacheDir: cacheDirOf(flags.cache, ctx),
    warn: (message) => ctx.io.stderr(`warning: ${message}\n`),
  });
}
