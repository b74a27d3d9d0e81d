/** The README of a new registry, written for the people who publish and consume packages. */
import type { InitOptions } from './registry-yaml.js';

/** README.md for a new registry. */
export function registryReadme(options: InitOptions): string {
  const repo = options.github ? `https://github.com/${options.github}` : 'this repository';
  return `# ${options.name}

The ${options.name} package registry. Every package version is a small YAML file in this
repository; a curator builds a reproducible tarball from the source it names and publishes it
with a static index.

## Publish a package

Open a pull request against ${repo} that adds \`packages/<name>/<version>.yaml\`:

\`\`\`yaml
name: my-package
version: 1.0.0
description: What it does, in one sentence.
license: MIT
location:
  github: your-login/my-package
ref: v1.0.0
dependencies: {}
owners:
  - your-login
\`\`\`

- The first version of a package must list its \`owners\`, and you must be one of them.
- Later versions go next to the first (\`packages/<name>/<version>.yaml\`), by an owner or
  approved by one.
- Published files are never edited. To fix a mistake, publish a new version; trustees can
  change dependency bounds, yank or deprecate a version with a file in \`overrides/\`.
- Check your change before opening the pull request:
  \`granary validate --base main --author your-login\`.

## Use packages

${useSection(options)}

## Rules

\`registry.yaml\` lists the trustees, reserved names, scopes and limits. The rules every pull
request is checked against are described in Granary's documentation (docs/validation.md).
`;
}

/** How a client reaches this registry's signed index: its index branch over HTTP, or a clone. */
function useSection(options: InitOptions): string {
  const pin =
    "Pin the registry's signing key (`publicKey` in `registry.yaml`) with `--trust-key`, so a mirror or a proxy cannot hand you another index.";
  const clone = (dir: string) => `\`granary install <name> --registry ./${dir} --trust-key <publicKey>\``;
  if (options.github === undefined)
    return `The signed index is on the \`index\` branch of this repository. In a clone of it:\n${clone('<this clone>')}.\n\n${pin}`;
  const [owner = '', repo = ''] = options.github.split('/');
  return [
    'The signed index is on the `index` branch, served as static files by GitHub Pages once Pages deploys',
    `that branch (Settings → Pages: "Deploy from a branch", \`index\`, \`/ (root)\`; or \`granary doctor --github ${options.github} --fix\`):`,
    '',
    '```',
    `granary install <name> --registry ${pagesUrl(owner, repo)} --trust-key <publicKey>`,
    '```',
    '',
    `Without Pages, a public repository's branch is also served at \`https://raw.githubusercontent.com/${options.github}/index\`;`,
    `or, from a clone (\`git clone https://github.com/${options.github}\`): ${clone(repo || 'registry')}.`,
    '',
    pin,
  ].join('\n');
}

/** Where github.com's Pages serve a repository: `https://<owner>.github.io/<repo>` (the owner's own site at the root). */
export function pagesUrl(owner: string, repo: string): string {
  const host = `${owner.toLowerCase()}.github.io`;
  return repo.toLowerCase() === host ? `https://${host}` : `https://${host}/${repo}`;
}
