/**
 * A local clone of the registry: its files at HEAD, and a new branch with the one commit that adds a definition,
 * written without a work tree or index (the checked-out branch and its files stay as they are).
 */
import { InputError, UsageError } from '../../core/errors.js';
import { commitFiles } from '../git/commit-files.js';
import { Git } from '../git/repository.js';
import { listTree } from '../git/tree.js';
import type { ProposedFile } from './open-pull-request.js';
import type { RegistryFiles } from './previous-version.js';

export interface LocalRegistry extends RegistryFiles {
  readonly dir: string;
  /** The commit HEAD points at: what is read, and where the new branch starts. */
  readonly head: string;
  /** The branch checked out, or undefined when HEAD is detached. */
  readonly base: string | undefined;
  /** The remote to push to: `origin`, else the first; undefined when the clone has none. */
  readonly remote: string | undefined;
  readonly git: Git;
  close(): void;
}

export interface LocalCommit {
  dir: string;
  branch: string;
  commit: string;
  base: string | undefined;
  remote: string | undefined;
}

/** Open the clone in `dir` (read with the user's own git configuration, as their git would). */
export async function openLocalRegistry(dir: string): Promise<LocalRegistry> {
  const git = new Git(dir, { hint: 'check that --registry-dir names a clone of the registry' });
  try {
    return await open(git);
  } catch (error) {
    git.close();
    throw error;
  }
}

async function open(git: Git): Promise<LocalRegistry> {
  const dir = git.dir;
  await git.requireRepository(
    'pass --registry-dir a clone of the registry (`git clone https://github.com/OWNER/REGISTRY.git`)',
  );
  const head = await git.resolveRef('HEAD');
  if (head === undefined)
    throw new UsageError(`${dir} has no commit at HEAD`, {
      where: dir,
      hint: "check out the registry's default branch in the clone",
    });
  const { stdout, code } = await git.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1] });
  const remotes = (await git.text(['remote'])).split('\n').filter(Boolean);
  return {
    label: dir,
    dir,
    head,
    base: code === 0 ? stdout.toString('utf8').trim() : undefined,
    remote: remotes.includes('origin') ? 'origin' : remotes[0],
    async list(folder) {
      const entries = await listTree(git, head, { paths: [folder], sizes: false });
      const prefix = `${folder}/`;
      return entries
        .filter((e) => e.kind === 'file' && e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'))
        .map((e) => e.path.slice(prefix.length));
    },
    async read(path) {
      return (await git.objects.read(`${head}:${path}`))?.toString('utf8');
    },
    git,
    close: () => git.close(),
  };
}

/** Commit `file` on a new branch `branch` that starts at HEAD; refused when the branch or the file exists. */
export async function commitDefinition(
  registry: LocalRegistry,
  branch: string,
  file: ProposedFile,
): Promise<LocalCommit> {
  const { dir, head, git } = registry;
  const ref = `refs/heads/${branch}`;
  if ((await git.resolveRef(ref)) !== undefined)
    throw new UsageError(`the branch ${branch} already exists in ${dir}`, {
      where: dir,
      hint: `a submission of this version was started already: push that branch, or delete it (\`git -C ${dir} branch -D ${branch}\`) and run submit again`,
    });
  if ((await registry.read(file.path)) !== undefined)
    throw new InputError(`${file.path} already exists in ${dir}: ${file.name}@${file.version} is taken`, {
      where: `${dir}:${file.path}`,
      hint: 'published versions are never replaced: tag a new version and submit that',
    });
  const who = await identity(git);
  const reason = `granary submit: ${file.name}@${file.version}`;
  // The branch is created at HEAD only if it does not exist, then moved to the commit by compare-and-swap.
  await git.run(['update-ref', '-m', reason, ref, head, '0'.repeat(head.length)], {
    hint: `another run created ${branch} meanwhile: check \`git -C ${dir} log ${branch}\``,
  });
  let moved = false;
  try {
    const result = await commitFiles(git, {
      ref,
      parent: head,
      changes: new Map([[file.path, Buffer.from(file.content, 'utf8')]]),
      message: `Publish ${file.name}@${file.version}`,
      date: who.date,
      identity: who,
      reason,
    });
    moved = result.moved;
    if (!moved)
      throw new UsageError(`the branch ${branch} moved while the definition was committed: ${result.detail}`, {
        where: dir,
        hint: `check \`git -C ${dir} log ${branch}\`, delete the branch if it is not yours, and run submit again`,
      });
    return { dir, branch, commit: result.commit, base: registry.base, remote: registry.remote };
  } finally {
    if (!moved) await git.run(['update-ref', '-d', ref, head], { okCodes: [1, 128] });
  }
}

/** The user's committer identity and the time, as their own `git commit` would record them. */
async function identity(git: Git): Promise<{ name: string; email: string; date: string }> {
  const ident = await git.text(['var', 'GIT_COMMITTER_IDENT'], {
    hint: 'tell git who you are: `git config --global user.name "Your Name"` and `git config --global user.email you@example.org`',
  });
  const m = /^(.*) <([^>]*)> (\d+) [+-]\d{4}$/.exec(ident);
  if (!m) throw new TypeError(`git var GIT_COMMITTER_IDENT printed ${JSON.stringify(ident.slice(0, 80))}`);
  return { name: m[1]!, email: m[2]!, date: new Date(Number(m[3]) * 1000).toISOString() };
}
