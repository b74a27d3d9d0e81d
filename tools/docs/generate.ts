/** `npm run docs`: writes the generated references under docs/. */
import { writeFile } from 'node:fs/promises';
import { cliReference } from './cli-reference.js';
import { definitionReference } from './definition-reference.js';

await writeFile(new URL('../../docs/cli-reference.md', import.meta.url), cliReference());
await writeFile(new URL('../../docs/definition-reference.md', import.meta.url), definitionReference());
console.log('wrote docs/cli-reference.md and docs/definition-reference.md');
