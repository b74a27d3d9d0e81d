// The tarball contract as a property over a corpus of hostile source trees, planted with `git mktree`
// (which accepts names `git add` never would): whatever the packer accepts, the client installs; what
// the packer refuses, it refuses as the source's fault, naming the path.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTarball } from '../../client/extract/safe-extract.js';
import { GranaryError } from '../../core/errors.js';
import { assetStem } from '../../core/names.js';
import { packVersion } from '../../curator/pack/pack.js';
import { createRepo, GIT_ENV } from '../helpers/git.js';
import { tempDir } from '../helpers/tmp.js';
import { definition, localRegistry } from './fixtures.js';

/** A tree entry: a file's bytes, a subtree, or a symlink target. */
type Node = { file: string | Buffer; executable?: boolean } | { tree: Tree } | { link: string };
type Tree = Array<[name: string, node: Node]>;

function git(dir: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, input, maxBuffer: 64 << 20 })
    .toString()
    .trim();
}

/** Write `tree` with hash-object and mktree, exactly as given (no name checks), and return its id. */
function plant(dir: string, tree: Tree): string {
  const lines = tree.map(([name, node]) => {
    if ('tree' in node) return `040000 tree ${plant(dir, node.tree)}\t${name}`;
    const data = 'link' in node ? node.link : node.file;
    const blob = git(dir, ['hash-object', '-w', '--stdin'], data);
    const mode = 'link' in node ? '120000' : node.executable ? '100755' : '100644';
    return `${mode} blob ${blob}\t${name}`;
  });
  // --missing skips the object checks; -z keeps names with newlines intact.
  return git(dir, ['mktree', '-z', '--missing'], lines.map((l) => `${l}\0`).join(''));
}

/** A repository whose tag v1.0.0 points at a commit of `tree`. */
async function hostileRepo(tree: Tree): Promise<string> {
  const repo = await createRepo();
  const id = plant(repo.dir, tree);
  const commit = git(repo.dir, ['commit-tree', id, '-m', 'planted']);
  git(repo.dir, ['tag', 'v1.0.0', commit]);
  return repo.dir;
}

const readme: [string, Node] = ['README.md', { file: '# ok\n' }];
const nfc = 'caf\u00e9.txt';
const nfd = 'cafe\u0301.txt';

const CORPUS: Array<{ name: string; tree: Tree; include?: string[] }> = [
  { name: 'a plain package', tree: [readme, ['src', { tree: [['index.js', { file: 'export {};\n' }]] }]] },
  {
    name: 'an executable and unicode names',
    tree: [
      readme,
      ['bin', { tree: [['run', { file: '#!/bin/sh\n', executable: true }]] }],
      ['日本語.md', { file: 'x\n' }],
    ],
  },
  {
    name: '".." directory holding a file',
    tree: [readme, ['..', { tree: [['PWNED', { file: 'x\n' }]] }]],
    include: ['.?/.?', '**'],
  },
  {
    name: '"." directory holding a file',
    tree: [readme, ['.', { tree: [['PWNED', { file: 'x\n' }]] }]],
    include: ['.?/.?', '**'],
  },
  {
    name: '".." nested two deep',
    tree: [readme, ['a', { tree: [['..', { tree: [['..', { tree: [['x', { file: 'x' }]] }]] }]] }]],
  },
  {
    name: 'a file and a directory of one name',
    tree: [readme, ['a', { file: 'file\n' }], ['a', { tree: [['b', { file: 'x\n' }]] }]],
  },
  { name: 'README and readme', tree: [readme, ['readme.md', { file: 'lower\n' }]] },
  { name: 'NFC and NFD spellings of one name', tree: [readme, [nfc, { file: 'nfc\n' }], [nfd, { file: 'nfd\n' }]] },
  {
    name: 'directories differing in case',
    tree: [readme, ['Src', { tree: [['a.js', { file: 'a' }]] }], ['src', { tree: [['b.js', { file: 'b' }]] }]],
  },
  { name: 'a Windows device name', tree: [readme, ['CON', { file: 'x\n' }]] },
  {
    name: 'a Windows device name with an extension',
    tree: [readme, ['src', { tree: [['aux.txt', { file: 'x\n' }]] }]],
  },
  { name: 'COM1 and LPT9', tree: [readme, ['com1.log', { file: 'x' }], ['LPT9', { file: 'y' }]] },
  { name: 'a name ending in a dot', tree: [readme, ['notes.', { file: 'x\n' }]] },
  { name: 'a name ending in a space', tree: [readme, ['notes ', { file: 'x\n' }]] },
  { name: 'a colon and a question mark', tree: [readme, ['a:b', { file: 'x' }], ['what?', { file: 'y' }]] },
  { name: 'a control character', tree: [readme, ['bell\u0007', { file: 'x' }]] },
  { name: 'a newline in a name', tree: [readme, ['two\nlines', { file: 'x' }]] },
  { name: 'a backslash', tree: [readme, ['a\\b', { file: 'x' }]] },
  { name: '5 MB of zeros', tree: [readme, ['zeros.bin', { file: Buffer.alloc(5 * 1024 * 1024) }]] },
  { name: 'a symlink out of the tree', tree: [readme, ['escape', { link: '../../../../etc/passwd' }]] },
  { name: 'a source granary.json', tree: [readme, ['granary.json', { file: '{"name":"evil"}' }]] },
  { name: 'a nested .git directory', tree: [readme, ['.git', { tree: [['config', { file: '[core]\n' }]] }]] },
  { name: 'a long but legal path', tree: [readme, ['d'.repeat(90), { tree: [['f'.repeat(90), { file: 'x' }]] }]] },
];

describe('hostile source trees: what the packer accepts, the client installs', () => {
  const verdicts = new Map<string, 'installed' | 'refused'>();

  it.each(CORPUS)('$name', async ({ name, tree, include }) => {
    const dir = await hostileRepo(tree);
    const def = definition(dir, include ? { files: { include } } : {});
    let packed: Awaited<ReturnType<typeof packVersion>> | undefined;
    try {
      packed = await packVersion(def, { registry: localRegistry() });
    } catch (error) {
      // Refused: the source's fault, said as such, with the offending path named.
      expect(error).toBeInstanceOf(GranaryError);
      expect((error as GranaryError).exitCode).toBe(1);
      expect((error as GranaryError).message).toMatch(/\(|"|entries|expands|larger/);
      verdicts.set(name, 'refused');
      return;
    }
    const dest = join(await tempDir(), 'out');
    const stats = await extractTarball(packed.bytes, dest, {
      label: `${def.name}@${def.version}`,
      top: `${assetStem(def.name)}-${def.version}`,
    });
    expect(stats.files).toBe(packed.files);
    verdicts.set(name, 'installed');
  });

  it('refuses each attack the client would refuse, and installs what is legal', () => {
    expect(verdicts.size).toBe(CORPUS.length);
    const installed = [...verdicts].filter(([, v]) => v === 'installed').map(([n]) => n);
    expect(installed.sort()).toEqual(
      [
        'a plain package',
        'an executable and unicode names',
        'a symlink out of the tree',
        'a source granary.json',
        'a nested .git directory',
        'a long but legal path',
      ].sort(),
    );
  });
});
