/** What `granary submit` reads from the package's own git repository: the tag's commit, its remote, the manifest at the tag. */
import { InputError, UsageError } from '../../core/errors.js';
import { Git } from '../git/repository.js';

export interface SourceFacts {
  /** The repository's top-level directory. */
  dir: string;
  tag: string;
  /** The commit the tag points to (annotated tags peeled). */
  commit: string;
  /** `origin`, else the first remote the repository lists; undefined when it has none. */
  remote: { name: string; url: string } | undefined;
  /** The author's manifest at the tag, when the repository has one. */
  manifest: { file: 'granary.yaml' | 'package.json'; text: string } | undefined;
}

const TAG = /^(?!-)(?!.*\.\.)[A-Za-z0-9._+/-]{1,255}$/;

/** Read the facts at `tag` (default: the tag pointing at HEAD) of the repository in `dir`. */
export async function readSourceFacts(dir: string, tag?: string): Promise<SourceFacts> {
  // The author's own repository, read with their git configuration (as their own git would), through the git layer.
  const git = new Git(dir);
  try {
    return await readFacts(git, tag);
  } finally {
    git.close();
  }
}

async function readFacts(git: Git, tag: string | undefined): Promise<SourceFacts> {
  const dir = git.dir;
  await git.requireRepository("run granary submit inside the package's repository, or pass --dir");
  let chosen = tag;
  if (chosen === undefined) {
    const tags = (await git.text(['tag', '--points-at', 'HEAD'])).split('\n').filter(Boolean).sort();
    if (tags.length !== 1) {
      throw new UsageError(
        tags.length === 0
          ? 'HEAD has no tag: nothing to submit'
          : `HEAD has several tags (${tags.join(', ')}): say which one`,
        { where: dir, hint: 'pass --tag v1.2.3 (create it first with `git tag v1.2.3` and push it)' },
      );
    }
    chosen = tags[0]!;
  }
  if (!TAG.test(chosen))
    throw new UsageError(`${JSON.stringify(chosen.slice(0, 80))} is not a tag name`, { hint: 'e.g. --tag v1.2.3' });
  const commit = await git.resolveRef(`refs/tags/${chosen}`).catch(() => undefined);
  if (commit === undefined) {
    throw new UsageError(`there is no tag ${chosen} in ${dir}`, {
      where: dir,
      hint: `create it with \`git tag ${chosen}\`, push it with \`git push origin ${chosen}\`, and run submit again`,
    });
  }
  const top = await git.text(['rev-parse', '--show-toplevel']).catch(() => '');
  return {
    dir: top || dir,
    tag: chosen,
    commit,
    remote: await readRemote(git),
    manifest: await readManifest(git, commit),
  };
}

async function readRemote(git: Git): Promise<SourceFacts['remote']> {
  const names = (await git.text(['remote'])).split('\n').filter(Boolean);
  const name = names.includes('origin') ? 'origin' : names[0];
  if (name === undefined) return undefined;
  const url = await git.text(['remote', 'get-url', '--', name]).catch(() => '');
  return url ? { name, url } : undefined;
}

async function readManifest(git: Git, commit: string): Promise<SourceFacts['manifest']> {
  for (const file of ['granary.yaml', 'package.json'] as const) {
    const bytes = await git.objects.read(`${commit}:${file}`);
    if (bytes !== undefined) {
      if (bytes.length > 256 * 1024)
        throw new InputError(`${file} at the tag is larger than 256 KiB`, { where: `${commit.slice(0, 12)}:${file}` });
      return { file, text: bytes.toString('utf8') };
    }
  }
  return undefined;
}
