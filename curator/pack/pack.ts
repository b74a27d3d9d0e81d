/** The packer: a definition's source tree at its resolved commit, as a byte-for-byte reproducible .tar.gz. */
import { createHash } from 'node:crypto';
import { InputError, shown } from '../../core/errors.js';
import { digestOf } from '../../core/hash.js';
import { expansionProblem, TARBALL_LIMITS } from '../../core/tarball-contract.js';
import { assetStem, nameError, tarballName } from '../../core/names.js';
import type { PackageDefinition } from '../../schema/types.js';
import { fetchSource, type FetchedSource } from '../source/fetch-source.js';
import { isExecutable } from '../source/read-tree.js';
import { biggest, checkLimits, unpackedLimits, type SizedPath } from './check-limits.js';
import { checkTarballContract } from './check-contract.js';
import { contentHash, type ContentFile } from './content-hash.js';
import { GzipWriter } from './gzip-writer.js';
import { LICENSE_FILE, MAX_LICENSE_BYTES } from './license-match.js';
import { formatBytes } from '../../core/format-bytes.js';
import { PackLimitError } from './limit-error.js';
import { buildManifest, manifestBytes } from './manifest.js';
import { fileRules, MANIFEST_NAME, selectFiles } from './select-files.js';
import { TAR_END, tarHeader, tarPadding, type TarEntry } from './tar-entries.js';
import type { PackFunction, PackOptions, PackResult } from './types.js';

/** Fetch the source of `definition` and pack it. */
export const packVersion: PackFunction = async (definition, options) => {
  checkIdentity(definition);
  const source = await fetchSource(definition, {
    registry: options.registry,
    cwd: options.cwd,
    signal: options.signal,
    git: options.git,
    tmpDir: options.tmpDir,
    env: options.env,
  });
  try {
    return await packSource(definition, source, options);
  } finally {
    await source.dispose();
  }
};

interface Planned extends SizedPath {
  /** Path relative to the package root. */
  path: string;
  mode: 0o644 | 0o755;
  /** Git blob id, or the bytes themselves (the manifest). */
  blob: string | Buffer;
}

// Tar bytes go to zlib in batches of about this size; batching depends only on the entries, never on timing.
const BATCH_BYTES = 1024 * 1024;

/** Pack an already-fetched source tree (the step measured by the benchmark). */
export async function packSource(
  definition: PackageDefinition,
  source: FetchedSource,
  options: PackOptions,
): Promise<PackResult> {
  checkIdentity(definition);
  const who = `${definition.name}@${definition.version}`;
  const prefix = `${assetStem(definition.name)}-${definition.version}/`;
  const selection = selectFiles(source.entries, fileRules(definition.files, options.registry.files), who);
  const manifest = manifestBytes(buildManifest(definition, source.commit, options.override));

  const planned: Planned[] = selection.files.map((e) => ({
    path: e.path,
    tarPath: prefix + e.path,
    size: e.size,
    mode: isExecutable(e.mode) ? 0o755 : 0o644,
    blob: e.id,
  }));
  planned.push({
    path: MANIFEST_NAME,
    tarPath: prefix + MANIFEST_NAME,
    size: manifest.length,
    mode: 0o644,
    blob: manifest,
  });
  checkLimits(planned, unpackedLimits(options.registry), who);
  checkTarballContract(
    planned.map((p) => p.path),
    who,
  );

  const entries = tarEntries(planned, prefix);
  const maxTarball = options.registry.limits.maxTarballBytes;
  const gzip = new GzipWriter(
    maxTarball,
    (bytes) =>
      new PackLimitError(
        `the compressed tarball is larger than limits.maxTarballBytes (${formatBytes(maxTarball)}; stopped at ${formatBytes(bytes)})`,
        'maxTarballBytes',
        biggest(planned),
        { where: who, hint: 'leave large files out with files.exclude, or split the package' },
      ),
  );
  const content: ContentFile[] = [];
  const licenseFiles: PackResult['licenseFiles'] = [];
  const wanted = entries.flatMap((e) => (e.file && typeof e.file.blob === 'string' ? [e.file.blob] : []));
  const blobs = source.readBlobs(wanted)[Symbol.asyncIterator]();
  try {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let tarBytes = 0;
    const push = async (data: Buffer) => {
      tarBytes += data.length;
      batch.push(data);
      batchBytes += data.length;
      if (batchBytes >= BATCH_BYTES) {
        const joined = Buffer.concat(batch, batchBytes);
        batch = [];
        batchBytes = 0;
        await gzip.write(joined);
      }
    };
    for (const { tar, file } of entries) {
      await push(tarHeader(tar));
      if (!file) continue;
      const data = typeof file.blob === 'string' ? await nextBlob(blobs, file, who) : file.blob;
      if (LICENSE_FILE.test(file.path) && data.length <= MAX_LICENSE_BYTES)
        licenseFiles.push({ path: file.path, text: data.toString('utf8') });
      content.push({
        path: file.path,
        sha256: createHash('sha256').update(data).digest('hex'),
        executable: file.mode === 0o755,
      });
      await push(data);
      await push(tarPadding(data.length));
    }
    await push(TAR_END);
    if (batchBytes > 0) await gzip.write(Buffer.concat(batch, batchBytes));
    const bytes = await gzip.finish();
    const expansion = expansionProblem(tarBytes, bytes.length, TARBALL_LIMITS);
    if (expansion) {
      throw new PackLimitError(`the tarball ${expansion}: clients refuse to extract it`, 'maxRatio', biggest(planned), {
        where: who,
        hint: 'leave the highly compressible files (generated or padded data) out with files.exclude',
      });
    }
    const digest = digestOf(bytes);
    return {
      name: definition.name,
      version: definition.version,
      fileName: tarballName(definition.name, definition.version),
      bytes,
      ...digest,
      contentHash: contentHash(content),
      commit: source.commit,
      files: planned.length,
      warnings: selection.warnings,
      paths: planned.map((p) => p.path),
      unmatchedAdded: selection.unmatchedAdded,
      licenseFiles,
    };
  } catch (error) {
    gzip.abort();
    throw error;
  } finally {
    await blobs.return?.();
  }
}

/** Directories (each ancestor of a file, explicitly) and files, sorted by the UTF-8 bytes of their tar paths. */
function tarEntries(files: Planned[], prefix: string): Array<{ tar: TarEntry; file?: Planned }> {
  const dirs = new Set<string>([prefix]);
  for (const f of files) {
    for (let i = f.tarPath.indexOf('/', prefix.length); i >= 0; i = f.tarPath.indexOf('/', i + 1))
      dirs.add(f.tarPath.slice(0, i + 1));
  }
  const all: Array<{ key: Buffer; tar: TarEntry; file?: Planned }> = [
    ...[...dirs].map((d) => ({
      key: Buffer.from(d, 'utf8'),
      tar: { path: d, type: 'Directory' as const, mode: 0o755 as const, size: 0 },
    })),
    ...files.map((f) => ({
      key: Buffer.from(f.tarPath, 'utf8'),
      tar: { path: f.tarPath, type: 'File' as const, mode: f.mode, size: f.size },
      file: f,
    })),
  ];
  return all.sort((a, b) => Buffer.compare(a.key, b.key));
}

async function nextBlob(
  blobs: AsyncIterator<{ id: string; data: Buffer }>,
  file: Planned,
  who: string,
): Promise<Buffer> {
  const next = await blobs.next();
  if (next.done || next.value.id !== file.blob || next.value.data.length !== file.size) {
    throw new InputError(`the source changed while it was read (${shown(file.path)})`, {
      where: who,
      hint: 'try again',
    });
  }
  return next.value.data;
}

function checkIdentity(definition: PackageDefinition): void {
  const problem = nameError(definition?.name);
  if (problem)
    throw new InputError(`package name ${shown(definition?.name)} is invalid: ${problem}`, {
      hint: 'fix `name` in the definition',
    });
  if (typeof definition.version !== 'string' || !/^[0-9A-Za-z.-]{1,64}$/.test(definition.version)) {
    throw new InputError(`version ${shown(definition.version)} is invalid`, {
      where: definition.name,
      hint: 'use a SemVer version such as 1.2.0',
    });
  }
}
