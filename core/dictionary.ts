/**
 * Maps keyed by untrusted names (package names, scopes, dependency keys) as objects without a
 * prototype: `constructor`, `toString` or `__proto__` are then ordinary keys, never something
 * inherited from `Object.prototype`.
 */
export function dictionary<T>(entries?: Iterable<[string, T]> | Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (entries === undefined) return out;
  for (const [key, value] of Symbol.iterator in entries ? (entries as Iterable<[string, T]>) : Object.entries(entries))
    out[key] = value;
  return out;
}
