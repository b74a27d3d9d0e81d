/**
 * What a packed tarball must hold, judged from the pack result: the PR gate's dry-run pack reports these at
 * the definition's lines, and curate refuses a merged version on their errors before anything is stored.
 */
import type { Problem } from '../../core/errors.js';
import type { RegistryConfig } from '../../core/registry-config.js';
import type { PackageDefinition } from '../../schema/types.js';
import { licenseDisagreement } from './license-match.js';
import type { PackResult } from './types.js';

export interface ContentProblem {
  /** The definition key the problem points at. */
  field: Array<string | number>;
  severity: Problem['severity'];
  rule: string;
  message: string;
}

/** What a tarball holds besides its sources: the generated manifest, read-me, license and change files, package manifests at the root. */
const ALWAYS_THERE =
  /^(granary\.json|(readme|license|licence|copying|changelog|changes|history|notice|authors|contributors)([.-][^/]*)?|package\.json|bower\.json|purs\.json|spago\.(dhall|yaml)|packages\.dhall)$/i;

type Packed = Pick<PackResult, 'warnings' | 'unmatchedAdded' | 'paths' | 'licenseFiles'>;

export function contentProblems(
  definition: PackageDefinition,
  result: Packed,
  registry: Pick<RegistryConfig, 'licenseFile'>,
): ContentProblem[] {
  const who = `${definition.name}@${definition.version}`;
  const problems: ContentProblem[] = result.warnings.map((w) => ({
    field: ['location'],
    severity: 'warning',
    rule: 'pack-warning',
    message: w,
  }));
  const added = definition.files?.add ?? [];
  for (const pattern of result.unmatchedAdded)
    problems.push({
      field: ['files', 'add', added.indexOf(pattern)],
      severity: 'warning',
      rule: 'files-unmatched',
      message: `files.add pattern ${JSON.stringify(pattern)} matches no file of the source at ${definition.ref}: a typo, or a path that moved?`,
    });
  if (!result.paths.some((path) => !ALWAYS_THERE.test(path)))
    problems.push({
      field: definition.files ? ['files'] : ['location'],
      severity: 'error',
      rule: 'sources-missing',
      message: `the tarball would hold only ${result.paths.join(', ')}: no source file of ${who} is packed; check files and the tag`,
    });
  problems.push(...licenseProblems(definition, result.licenseFiles, registry.licenseFile));
  return problems;
}

/** The declared license against the license files the tarball holds (registry.yaml `licenseFile`). */
function licenseProblems(
  definition: PackageDefinition,
  files: PackResult['licenseFiles'],
  setting: RegistryConfig['licenseFile'],
): ContentProblem[] {
  if (setting === 'off') return [];
  if (files.length === 0)
    return [
      {
        field: ['license'],
        severity: setting === 'required' ? 'error' : 'warning',
        rule: 'license-file-missing',
        message: `${definition.name}@${definition.version} packs no license file (LICENSE, LICENCE, COPYING or UNLICENSE at the package root): add the license's text to the source, or list it in files.add`,
      },
    ];
  const percent = (score: number) => `${Math.floor(score * 100)}% alike`;
  return files.flatMap(({ path, text }): ContentProblem[] => {
    const disagreement = licenseDisagreement(definition.license, text);
    if (disagreement === undefined) return [];
    const { found, closestDeclared } = disagreement;
    const closest = closestDeclared ? `; ${closestDeclared.id} is ${percent(closestDeclared.score)}` : '';
    return [
      {
        field: ['license'],
        severity: 'error',
        rule: 'license-mismatch',
        message: `${path} at ${definition.ref} reads as ${found.id} (${percent(found.score)}), which license ${JSON.stringify(definition.license)} does not name${closest}: write the license the file grants (e.g. license: ${found.id}), or correct the file in the source and tag again`,
      },
    ];
  });
}
