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
  return packagesFileText(new Map([...summaries].map((s) => [s.name, summaryLine(s)])));
}

/** One summary's line of packages.json. */
export function summaryLine(summary: PackageSummary): string {
  return canonicalJson(summary);
}

/** packages.json from its lines by package name (sorted here). */
export function packagesFileText(lines: ReadonlyMap<string, string>): string {
  if (lines.size === 0) return '{"format":2,"packages":[]}\n';
  const names = [...lines.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{"format":2,"packages":[\n${names.map((n) => lines.get(n)!).join(',\n')}\n]}\n`;
}

const SUMMARY_NAME = /"name":"((?:@[a-z0-9-]+\/)?[a-z][a-z0-9-]*)"/;

/**
 * The lines of a packages.json this writer wrote (one summary per line), by package name, unparsed; a file of
 * any other shape is parsed whole, checked, and split the same way.
 */
export function packagesFileLines(text: string, where = PACKAGES_FILE): Map<string, string> {
  const lines = new Map<string, string>();
  const head = '{"format":2,"packages":[\n';
  const tail = '\n]}\n';
  if (text.startsWith(head) && text.endsWith(tail)) {
    let ok = true;
    for (const raw of text.slice(head.length, -tail.length).split('\n')) {
      const line = raw.endsWith(',') ? raw.slice(0, -1) : raw;
      const name = SUMMARY_NAME.exec(line)?.[1];
      if (name === undefined || !line.startsWith('{') || !line.endsWith('}') || lines.has(name)) {
        ok = false;
        break;
      }
      lines.set(name, line);
    }
    if (ok) return lines;
  }
  lines.clear();
  for (const summary of parsePackages(text, where).packages) lines.set(summary.name, summaryLine(summary));
  return lines;
}

/** One line of packages.json, parsed and checked against the schema. */
export function parseSummaryLine(line: string, name: string, where = PACKAGES_FILE): PackageSummary {
  const summary = parsePackages(`{"format":2,"packages":[${line}]}`, where).packages[0];
  if (summary?.name !== name)
    throw new InputError(`packages.json has a line for ${name} that names ${summary?.name}`, {
      where,
      hint: 'run `granary index check`',
    });
  return summary;
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
