/**
 * The registry files of one commit in one API request: GitHub's tarball of the commit (`GET
 * /repos/{owner}/{repo}/tarball/{ref}`, which redirects to an archive host), read as a stream and
 * kept as git blobs by their object ids. Callers look files up by the blob SHA their tree listing
 * names, so a file the archive lacks or holds with other bytes is simply not found there.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { gitBlobId } from '../../core/git/blob-id.js';
import { LimitError } from '../../core/errors.js';
import { githubError } from './api-error.js';
import type { GitHub, RepoRef } from './octokit.js';

export interface ArchiveOptions {
  /** Keep files whose path (below the archive's top folder) this accepts. */
  wanted: (path: string) => boolean;
  /** Files larger than this are left out (read through the blob API if needed). */
  maxFileBytes: number;
  /** The archive is abandoned beyond this many unpacked bytes. */
  maxTotalBytes: number;
}

/** Blob SHA → bytes of the wanted regular files of `owner/repo` at `sha`. */
export async function archiveBlobs(
  github: GitHub,
  ref: RepoRef,
  sha: string,
  options: ArchiveOptions,
): Promise<Map<string, Buffer>> {
  let body: ReadableStream<Uint8Array> | null;
  try {
    const response = await github.rest.repos.downloadTarballArchive({
      ...ref,
      ref: sha,
      request: { parseSuccessResponseBody: false },
    });
    body = response.data as unknown as ReadableStream<Uint8Array> | null;
  } catch (error) {
    throw githubError(error, `downloading the archive of ${ref.owner}/${ref.repo} at ${sha.slice(0, 12)}`, {
      repo: `${ref.owner}/${ref.repo}`,
    });
  }
  if (body === null) return new Map();
  const blobs = new Map<string, Buffer>();
  let total = 0;
  const parser = new Parser({
    onReadEntry(entry: ReadEntry) {
      total += entry.size;
      const slash = entry.path.indexOf('/');
      const path = slash < 0 ? '' : entry.path.slice(slash + 1);
      const keep = entry.type === 'File' && entry.size <= options.maxFileBytes && options.wanted(path);
      if (total > options.maxTotalBytes) {
        parser.abort(
          new LimitError(
            `the archive of ${ref.owner}/${ref.repo} at ${sha.slice(0, 12)} is over ${options.maxTotalBytes} bytes`,
          ),
        );
      }
      if (!keep) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: Buffer) => chunks.push(chunk));
      entry.on('end', () => {
        const bytes = Buffer.concat(chunks);
        blobs.set(gitBlobId(bytes), bytes);
      });
    },
  });
  let aborted: Error | undefined;
  parser.on('abort', (error: Error) => (aborted = error));
  try {
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), parser);
  } catch (error) {
    throw aborted ?? githubError(error, `reading the archive of ${ref.owner}/${ref.repo} at ${sha.slice(0, 12)}`);
  }
  if (aborted) throw aborted;
  return blobs;
}
