/** The PR gate's packability check: dry-run pack an added version and point any failure at the definition's lines. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GranaryError, InputError, LimitError, type Problem } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import { loadYaml } from '../../core/yaml.js';
import type { PackageDefinition } from '../../schema/types.js';
import type { PackableCheck } from '../registry/types.js';
import { SourceFailure, type SourceRule } from '../source/errors.js';
import type { GitRunner } from '../../core/git/run.js';
import { packVersion } from './pack.js';
import { contentProblems } from './content-rules.js';
import type { PackFunction } from './types.js';

/** Where the packability check works, and the packer it dry-runs. */
export interface PackableCheckOptions {
  /** The registry working tree: relative `file://./…` sources and definition files resolve against it. */
  cwd: string;
  git?: GitRunner;
  tmpDir?: string;
  signal?: AbortSignal;
  /** The packer (default: packVersion). */
  pack?: PackFunction;
}

/** Where in the definition each failure points. */
const FIELD: Record<SourceRule, Array<string | number>> = {
  'source-not-allowed': ['location'],
  'source-invalid': ['location'],
  'source-unreachable': ['location'],
  'source-timeout': ['location'],
  'subdir-missing': ['location', 'subdir'],
  'ref-invalid': ['ref'],
  'ref-missing': ['ref'],
  'commit-mismatch': ['commit'],
};

/**
 * A PackableCheck for `granary validate` and the app. It accepts the definition file's text as an optional
 * third argument (for trees read through the GitHub API); without it, the file is read from `options.cwd`.
 */
export function createPackableCheck(registry: RegistryConfig, options: PackableCheckOptions): PackableCheck {
  const pack = options.pack ?? packVersion;
  return async (definition: PackageDefinition, file: string, text?: string): Promise<Problem[]> => {
    const source = text ?? (await readFile(join(options.cwd, file), 'utf8').catch(() => ''));
    const loaded = loadYaml(source);
    const at: At = (path, severity, rule, message) => {
      const { line, col } = loaded.locate(path);
      return { file, line, col, severity, rule, message };
    };
    try {
      const result = await pack(definition, {
        registry,
        cwd: options.cwd,
        git: options.git,
        tmpDir: options.tmpDir,
        signal: options.signal,
      });
      return contentProblems(definition, result, registry).map((p) => at(p.field, p.severity, p.rule, p.message));
    } catch (error) {
      return [problemOf(error, at, definition)];
    }
  };
}

type At = (path: Array<string | number>, severity: Problem['severity'], rule: string, message: string) => Problem;

function problemOf(error: unknown, at: At, definition: PackageDefinition): Problem {
  const withHint = (e: GranaryError) => (e.hint ? `${e.message} (${e.hint})` : e.message);
  if (error instanceof SourceFailure) {
    const field = FIELD[error.rule];
    // A github/git location points at its own key, so the annotation lands on the URL line.
    const path =
      field.length === 1 && field[0] === 'location' && definition.location
        ? ['location', 'github' in definition.location ? 'github' : 'git']
        : field;
    return at(path, 'error', error.rule, withHint(error));
  }
  if (error instanceof LimitError)
    return at(definition.files ? ['files'] : ['location'], 'error', 'pack-limit', withHint(error));
  if (error instanceof InputError)
    return at(definition.files ? ['files'] : ['name'], 'error', 'pack-input', withHint(error));
  if (error instanceof GranaryError) return at(['location'], 'error', 'pack-failed', withHint(error));
  return at(
    ['location'],
    'error',
    'pack-failed',
    `packing failed unexpectedly: ${(error as Error)?.message ?? String(error)}`,
  );
}
