/** The highest snapshot version seen per registry, so an older (rolled-back) index is refused. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TrustError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import type { Snapshot } from '../../schema/types.js';
import { writeFileAtomic } from '../sources/atomic-write.js';

interface SeenState {
  identity: string;
  version: number;
  commit: string;
}

function stateFile(cacheDir: string, identity: string): string {
  return join(cacheDir, 'trust', `${sha256Hex(identity)}.json`);
}

async function readSeen(file: string, identity: string): Promise<SeenState | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<SeenState>;
    if (value.identity !== identity || typeof value.version !== 'number' || !Number.isSafeInteger(value.version))
      return undefined;
    return { identity, version: value.version, commit: String(value.commit ?? '') };
  } catch {
    return undefined;
  }
}

/** Refuse `snapshot` if a higher version was seen for `identity`; otherwise record it as the highest. */
export async function checkNotRolledBack(
  cacheDir: string,
  identity: string,
  snapshot: Snapshot,
  where: string,
): Promise<void> {
  const file = stateFile(cacheDir, identity);
  const seen = await readSeen(file, identity);
  if (seen && snapshot.version < seen.version) {
    throw new TrustError(
      `snapshot version ${snapshot.version} is older than version ${seen.version}, which this client has already seen for this registry`,
      {
        where,
        hint: `the index was rolled back (a stale mirror or a replay): use an up-to-date mirror; if the registry really restarted its numbering, delete ${file} after confirming with its operators`,
      },
    );
  }
  if (!seen || snapshot.version > seen.version)
    await writeFileAtomic(
      file,
      `${JSON.stringify({ identity, version: snapshot.version, commit: snapshot.commit })}\n`,
    );
}
