/** What `granary doctor` does once it runs: loaded by its action (Octokit is loaded only here). */
import {
  diagnose,
  fixSettings,
  parseRepoRef,
  readRepositorySettings,
  requiredOctokitFromEnv,
} from '../../curator/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { DoctorFlags } from './doctor.js';

export async function runDoctor(ctx: CommandContext, flags: DoctorFlags): Promise<CommandResult> {
  const ref = parseRepoRef(flags.github, '--github');
  const octokit = requiredOctokitFromEnv(ctx.io.env, 'granary-doctor', {
    what: 'granary doctor reads the repository settings through the API and',
    permission: 'that can read the repository and its branch protection (administration: read)',
  });
  let settings = await readRepositorySettings(octokit, ref);
  const fixed = flags.fix === true ? await fixSettings(octokit, ref, settings) : [];
  if (fixed.length > 0) settings = await readRepositorySettings(octokit, ref);
  const findings = diagnose(settings);
  const unsafe = findings.filter((f) => f.severity === 'unsafe');
  const text = [
    ...fixed.map((f) => `fixed: ${f}`),
    ...findings.map((f) => `${f.severity}: ${f.setting}: ${f.message}\n  fix: ${f.fix}`),
    unsafe.length === 0
      ? `${flags.github}: nothing unsafe found${findings.length > 0 ? ` (${findings.length} piece(s) of advice)` : ''}`
      : `${flags.github}: ${unsafe.length} unsafe setting(s)`,
  ].join('\n');
  return {
    ok: unsafe.length === 0,
    text,
    json: { ok: unsafe.length === 0, repository: flags.github, fixed, settings, findings },
  };
}
