/** What `granary pack` does once it runs: loaded by its action. */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { parseRegistryConfig, REGISTRY_FILE } from '../../core/registry-config.js';
import { loadYaml } from '../../core/yaml.js';
import { packVersion } from '../../curator/pack/pack.js';
import { writeAsset } from '../../curator/pack/write-asset.js';
import { describeSchemaError, validateOverride, validatePackageDefinition } from '../../schema/validators.js';
import type { Override, PackageDefinition } from '../../schema/types.js';
import type { CommandContext, CommandResult } from '../command.js';
import type { PackFlags } from './pack.js';

export async function runPack(ctx: CommandContext, file: string, opts: PackFlags): Promise<CommandResult> {
  const repo = resolve(ctx.io.cwd, opts.repo ?? '.');
  const registryText = await readFile(join(repo, REGISTRY_FILE), 'utf8').catch(() => undefined);
  if (registryText === undefined) {
    throw new UsageError(`no ${REGISTRY_FILE} in ${repo}`, {
      where: repo,
      hint: 'run in the registry repository, or pass --repo <dir>',
    });
  }
  const registry = parseRegistryConfig(registryText, join(repo, REGISTRY_FILE));
  const path = locateDefinition(ctx.io.cwd, repo, file);
  const definition = readDocument<PackageDefinition>(await readFile(path, 'utf8'), path, 'definition');
  const overridePath = join(repo, 'overrides', definition.name, `${definition.version}.yaml`);
  const override = existsSync(overridePath)
    ? readDocument<Override>(await readFile(overridePath, 'utf8'), overridePath, 'override')
    : undefined;

  const result = await packVersion(definition, { registry, override, cwd: repo, env: ctx.io.env });
  const out = resolve(ctx.io.cwd, opts.out ?? '.');
  await mkdir(out, { recursive: true });
  const written = await writeAsset(out, result.fileName, result.bytes, result.sha256);
  const summary = {
    ok: true,
    name: result.name,
    version: result.version,
    file: written.tarball,
    sidecar: written.sidecar,
    commit: result.commit,
    files: result.files,
    size: result.size,
    sha256: result.sha256,
    integrity: result.integrity,
    contentHash: result.contentHash,
    override: override !== undefined,
    warnings: result.warnings,
  };
  const text = [
    `packed ${result.name}@${result.version} → ${written.tarball}${written.created ? '' : ' (identical file already there)'}`,
    `  commit       ${result.commit}`,
    `  files        ${result.files}`,
    `  size         ${result.size} bytes`,
    `  sha256       ${result.sha256}`,
    `  integrity    ${result.integrity}`,
    `  content hash ${result.contentHash}`,
    ...(override ? [`  override     ${overridePath} applied`] : []),
    ...result.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
  return { ok: true, text, json: summary };
}

function locateDefinition(cwd: string, repo: string, file: string): string {
  const direct = resolve(cwd, file);
  if (existsSync(direct)) return direct;
  if (!isAbsolute(file) && existsSync(join(repo, file))) return join(repo, file);
  throw new UsageError(`no definition file at ${file}`, {
    where: direct,
    hint: 'pass the path of packages/<name>/<version>.yaml',
  });
}

function readDocument<T>(text: string, file: string, what: 'definition' | 'override'): T {
  const loaded = loadYaml(text);
  const first = loaded.issues[0];
  if (first)
    throw new InputError(first.message, {
      where: `${file}:${first.line}:${first.col}`,
      hint: `fix the YAML of the ${what}`,
    });
  const validate = what === 'definition' ? validatePackageDefinition : validateOverride;
  if (!validate(loaded.value)) {
    const e = validate.errors![0]!;
    const path = e.instancePath.split('/').slice(1);
    if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty));
    const { line, col } = loaded.locate(path);
    throw new InputError(describeSchemaError(e), {
      where: `${file}:${line}:${col}`,
      hint: `run \`granary validate\` for every problem of the ${what}`,
    });
  }
  return loaded.value as T;
}
