/** Where a package's lines live in the static index (Cargo sparse-index sharding). */
import { parseName } from './names.js';

/** `1/a`, `2/ab`, `3/a/abc`, `ab/cd/abcd…`; scoped names under `@scope/` first. */
export function indexPath(name: string): string {
  const { scope, base } = parseName(name);
  const shard =
    base.length === 1
      ? `1/${base}`
      : base.length === 2
        ? `2/${base}`
        : base.length === 3
          ? `3/${base[0]}/${base}`
          : `${base.slice(0, 2)}/${base.slice(2, 4)}/${base}`;
  return scope === undefined ? shard : `@${scope}/${shard}`;
}

/** Files of the index that are not per-package files. */
export const INDEX_META_FILES = ['config.json', 'packages.json', 'snapshot.json', 'snapshot.json.sig'] as const;
