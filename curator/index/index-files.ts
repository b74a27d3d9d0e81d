/** The index's own target files (config.json, packages.json): exact bytes out, checked values in. */
import { canonicalJson } from '../../core/canonical-json.js';
import { InputError } from '../../core/errors.js';
import type { IndexConfig, PackageSummary, PackagesFile } from '../../schema/types.js';
import { schemaErrors, validateConfig, validatePackagesFile } from '../../schema/validators.js';

export const CONFIG_FILE = 'config.json';
export const PACKAGES_FILE = 'packages.json';

/** Canonical JSON with two-space indentation and a final newline: stable bytes a person can read. */
function prettyCanonical(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalJson(value)), null, 2)}\n`;
}

export function serializeConfig(config: IndexConfig): string {
  return prettyCanonical(config);
}

/** packages.json: summaries sorted by name, one per line, so a change to one package is a one-line diff. */
export function serializePackages(summaries: Iterable<PackageSummary>): string {
  const sorted = [...summaries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (sorted.length === 0) return '{"format":2,"packages":[]}\n';
  return `{"format":2,"packages":[\n${sorted.map((s) => canonicalJson(s)).join(',\n')}\n]}\n`;
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InputError(`${where} is not JSON`, {
      where,
      hint: 'run `granary index check` and rebuild the index if it is damaged',
      cause,
    });
  }
}

export function parsePackages(text: string, where = PACKAGES_FILE): PackagesFile {
  const value = parseJson(text, where);
  if (!validatePackagesFile(value))
    throw new InputError(`packages.json does not match its schema: ${schemaErrors(validatePackagesFile)}`, {
      where,
      hint: 'run `granary index check`',
    });
  return value;
}

export function parseConfig(text: string, where = CONFIG_FILE): IndexConfig {
  const value = parseJson(text, where);
  if (!validateConfig(value))
    throw new InputError(`config.json does not match its schema: ${schemaErrors(validateConfig)}`, {
      where,
      hint: 'run `granary index check`',
    });
  return value;
}
