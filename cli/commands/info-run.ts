/** What `granary info` does once it runs: loaded by its action. */
import { UsageError, shown } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { packageInfo, type PackageInfo } from '../../client/index.js';
import type { CommandContext, CommandResult } from '../command.js';
import { openRegistryFromFlags } from './registry-run.js';
import type { RegistryFlags } from './resolve.js';

export async function runInfo(ctx: CommandContext, name: string, opts: RegistryFlags): Promise<CommandResult> {
  const bad = nameError(name);
  if (bad) throw new UsageError(`${shown(name)} is not a package name: ${bad}`);
  const registry = await openRegistryFromFlags(ctx, opts);
  const info = await packageInfo(registry, name);
  return { ok: true, text: formatInfo(info), json: { ok: true, ...info } };
}

function deps(d: Record<string, string>): string {
  const entries = Object.entries(d);
  return entries.length === 0 ? '(none)' : entries.map(([n, r]) => `${n} ${r}`).join(', ');
}

/** The text form: summary first, then one line per version, newest first, with its revisions. */
export function formatInfo(info: PackageInfo): string {
  const out = [
    `${info.name}${info.latest ? ` ${info.latest}` : ''}${info.deprecated ? `  DEPRECATED: ${info.deprecated}` : ''}`,
  ];
  if (info.description) out.push(info.description);
  if (info.license) out.push(`license: ${info.license}`);
  if (info.homepage) out.push(`homepage: ${info.homepage}`);
  if (info.keywords.length) out.push(`keywords: ${info.keywords.join(', ')}`);
  out.push(`owners: ${info.owners.length ? info.owners.join(', ') : '(unknown)'}`);
  out.push(`latest: ${info.latest ?? '(no usable version)'}`);
  out.push(`dependencies: ${deps(info.dependencies)}`);
  out.push(`versions (${info.versions.length}):`);
  for (const v of info.versions) {
    const marks = [
      v.yanked ? 'yanked' : '',
      v.unpublished ? `unpublished ${v.unpublished.at}: ${v.unpublished.reason}` : '',
      v.deprecated ? `deprecated: ${v.deprecated}` : '',
    ].filter(Boolean);
    out.push(
      `  ${v.version}  ${v.publishedAt.slice(0, 10)}${v.revision > 1 ? `  revision ${v.revision}` : ''}${marks.length ? `  [${marks.join('; ')}]` : ''}`,
    );
    // A history entry holds a superseded revision's values, and when and why they were replaced.
    for (const h of v.history)
      out.push(
        `      revision ${h.revision}: dependencies ${deps(h.dependencies)}${h.yanked ? ', yanked' : ''}; replaced ${h.at.slice(0, 10)}${h.reason ? `: ${h.reason}` : ''}`,
      );
  }
  return out.join('\n');
}
