/** A project directory next to a real signed registry on disk (read as a directory, or served over loopback HTTP), driven through the CLI. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { onTestFinished } from 'vitest';
import { main } from '../../cli/cli.js';
import { memoryIo } from '../../cli/io.js';
import { serveDirectory } from '../helpers/http-server.js';
import { tempDir } from '../helpers/tmp.js';
import { buildRegistry, type FixturePackage, type FixtureRegistry } from '../install/fixture-registry.js';

export interface Run {
  code: number;
  out: string;
  err: string;
  /** stdout parsed, when `--json` was given. */
  json: any;
}

export interface ProjectWorld {
  work: string;
  project: string;
  registry: FixtureRegistry;
  /** What `--registry` takes: the index directory, or its loopback URL. */
  spec: string;
  /** Run `granary ARGS --cache <cache>` in the project directory (`granary list` without the cache). */
  run(args: string[]): Promise<Run>;
  /** A file of the project, as text (undefined when absent). */
  read(path: string): Promise<string | undefined>;
  /** Every file under a directory of the project, relative path → text (the state file left out). */
  files(path: string): Promise<Record<string, string>>;
}

/** A fresh project and a registry holding `packages`; `http` serves the registry on loopback. */
export async function projectWorld(
  packages: FixturePackage[],
  options: { http?: boolean } = {},
): Promise<ProjectWorld> {
  const work = await tempDir();
  const registry = await buildRegistry(join(work, 'registry'), packages);
  let spec = registry.indexDir;
  if (options.http) {
    const server = await serveDirectory(join(work, 'registry'));
    onTestFinished(() => server.close());
    spec = `${server.url}/index`;
  }
  const project = join(work, 'project');
  await mkdir(project);
  const cache = join(work, 'cache');
  return {
    work,
    project,
    registry,
    spec,
    async run(args) {
      const io = memoryIo({ cwd: project });
      // `list` reads no index, so it has no cache.
      const code = await main(args[0] === 'list' ? args : [...args, '--cache', cache], io);
      const out = io.text();
      return { code, out, err: io.err.join(''), json: args.includes('--json') ? JSON.parse(out) : undefined };
    },
    async read(path) {
      return readFile(join(project, path), 'utf8').catch(() => undefined);
    },
    async files(path) {
      const root = join(project, path);
      const out: Record<string, string> = {};
      const walk = async (dir: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (entry.name !== '.granary-state.json') out[relative(root, full)] = await readFile(full, 'utf8');
        }
      };
      if (existsSync(root)) await walk(root);
      return out;
    },
  };
}

/** The files a fixture package unpacks to under the install directory: its own, and the granary.json it was packed with. */
export function packageFiles(p: FixturePackage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(p.files ?? {})) out[`${p.name}/${path}`] = String(text);
  out[`${p.name}/granary.json`] =
    `${JSON.stringify({ name: p.name, version: p.version, dependencies: p.dependencies ?? {} }, null, 2)}\n`;
  return out;
}
