/** `granary init`: a new registry repository with its settings, folders, README and first commit. */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { nameError } from '../../core/names.js';
import { Git } from '../git/repository.js';
import { PLACEHOLDER_PATHS, REGISTRY_YAML } from '../registry/layout.js';
import { githubFiles, PINNED_CLI_SOURCE } from './github-files.js';
import { registryReadme } from './readme.js';
import { registryYaml, type InitOptions } from './registry-yaml.js';

/** The new registry: its directory, first commit and files. */
export interface CreatedRegistry {
  dir: string;
  commit: string;
  files: string[];
}

const GITHUB_REPO = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/;
/** Used only when git has no identity configured, so `init` works on a fresh machine. */
const FALLBACK_IDENTITY = ['-c', 'user.name=granary init', '-c', 'user.email=granary-init@localhost.invalid'];

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new UsageError(`cannot use ${dir}: ${(error as Error).message}`, { where: dir, cause: error });
  }
}

/** The files of a new registry, path → content. */
export function registryFiles(options: InitOptions): Record<string, string> {
  const files: Record<string, string> = {
    [REGISTRY_YAML]: registryYaml(options),
    'README.md': registryReadme(options),
    ...Object.fromEntries(PLACEHOLDER_PATHS.map((path) => [path, ''])),
  };
  if (options.local) files['.gitignore'] = 'releases/\n';
  for (const [path, content] of Object.entries(
    githubFiles({
      name: options.name,
      ...(options.github ? { github: options.github } : {}),
      ...(options.cliSource ? { cliSource: options.cliSource } : {}),
    }),
  )) {
    files[path] = content;
  }
  return files;
}

/** Create the registry at `dir` (which must be empty or absent) and commit it on `main`. */
export async function createRegistry(dir: string, options: InitOptions): Promise<CreatedRegistry> {
  const nameProblem = /^[a-z][a-z0-9-]{0,63}$/.test(options.name)
    ? undefined
    : (nameError(options.name) ?? 'it must match [a-z][a-z0-9-]*');
  if (nameProblem)
    throw new UsageError(`${JSON.stringify(options.name.slice(0, 80))} is not a registry name: ${nameProblem}`, {
      hint: 'pass --name with lowercase letters, digits and "-"',
    });
  if (options.github !== undefined && !GITHUB_REPO.test(options.github)) {
    throw new UsageError(`--github must be OWNER/REPO, got ${JSON.stringify(options.github.slice(0, 80))}`, {
      hint: 'e.g. --github example/registry',
    });
  }
  if (options.cliSource !== undefined && !PINNED_CLI_SOURCE.test(options.cliSource)) {
    throw new UsageError(
      `--cli-source must be a git source pinned to a full commit SHA, got ${JSON.stringify(options.cliSource.slice(0, 120))}`,
      {
        hint: "e.g. --cli-source github:your-org/granary#<40-hex commit>: the workflows run exactly that code with the registry's write token",
      },
    );
  }
  const root = resolve(dir);
  if (!(await isEmptyOrMissing(root))) {
    throw new UsageError(`${root} is not empty; refusing to create a registry over existing files`, {
      where: root,
      hint: 'choose a new or empty directory',
    });
  }
  await mkdir(root, { recursive: true });
  const git = new Git(root);
  await git.run(['init', '-q']);
  await git.run(['symbolic-ref', 'HEAD', 'refs/heads/main']);
  const files = registryFiles(options);
  for (const [path, content] of Object.entries(files)) {
    const full = resolve(root, path);
    if (!full.startsWith(root + sep))
      throw new UsageError(`refusing to write ${path}: outside the registry`, { where: root });
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  await git.run(['add', '-A', '--', '.']);
  const { stdout: email } = await git.run(['config', 'user.email'], { okCodes: [1] });
  const identity = email.toString().trim() ? [] : FALLBACK_IDENTITY;
  await git.run([
    ...identity,
    'commit',
    '-q',
    '--no-verify',
    '--no-gpg-sign',
    '-m',
    `Create the ${options.name} registry`,
  ]);
  const { stdout } = await git.run(['rev-parse', 'HEAD']);
  return { dir: root, commit: stdout.toString().trim(), files: Object.keys(files).sort() };
}
