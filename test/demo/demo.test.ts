// The end-to-end demo, as `npm run demo` runs it: every step must do what its title says.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEMO_STEPS } from '../../tools/demo/steps/demo-steps.js';
import { runDemo } from '../../tools/demo/run-demo.js';
import { tempDir } from '../helpers/tmp.js';

describe('npm run demo', () => {
  it('runs the whole lifecycle offline, every step checked, and removes its directory', async () => {
    const parent = await tempDir('granary-demo-test-');
    const lines: string[] = [];
    // As `npm run demo` does: the website is kept outside the demo's directory, to be opened afterwards.
    const websiteDir = join(parent, 'website');
    const result = await runDemo({ log: (line) => lines.push(line), workDir: parent, websiteDir });
    const failed = result.steps.find((s) => !s.ok);
    // Name the failing step and its reason, not just "false !== true".
    expect(failed, failed && `step "${failed.title}" failed: ${failed.detail}\n${lines.join('\n')}`).toBeUndefined();

    expect(result.steps.map((s) => s.title)).toEqual([
      'Create a registry and its signing key',
      'Create three source repositories with tags',
      'Open pull requests and validate them',
      'Merge and curate',
      'Serve the index and the assets over HTTP',
      'Install greeter with its dependencies and verify hashes',
      'A trustee override changes a bound: revision 2, same tarball',
      'A tampered asset is refused',
      'Mirror the registry and install from the mirror',
      "Build the registry's website",
    ]);
    expect(result.steps.map((s) => s.title)).toEqual(DEMO_STEPS.map((s) => s.title));
    for (const step of result.steps) expect(step, step.title).toMatchObject({ ok: true });
    expect(result.ok).toBe(true);

    const byTitle = new Map(result.steps.map((s) => [s.title, s.detail ?? '']));
    expect(byTitle.get('A tampered asset is refused')).toMatch(
      /integrity check failed for greeter@1\.0\.0: expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}/,
    );
    expect(byTitle.get('Open pull requests and validate them')).toMatch(
      /packages\/greeter\/1\.0\.0\.yaml:\d+:\d+: error: .*strings.*\^3\.0\.0/,
    );
    expect(byTitle.get('A trustee override changes a bound: revision 2, same tarball')).toContain('revision 2');

    // What a person reads: numbered headings and the commands they would type.
    expect(lines.filter((l) => /^\d+\. /.test(l))).toHaveLength(10);
    expect(lines).toContain('   $ granary init --local --name demo registry');
    expect(lines.some((l) => l.startsWith('   $ granary install greeter --registry http://127.0.0.1:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('   $ granary mirror registry-clone mirror'))).toBe(true);

    // The website: built from the registry's signed index, where the demo says it is, and it outlives the demo.
    const siteBuild = lines.find((l) => l.startsWith('   $ granary site build '));
    expect(siteBuild).toMatch(
      /^ {3}\$ granary site build --registry registry --trust-key ed25519:\S+ --out (\S+) --cache \S+$/,
    );
    expect(siteBuild!.split(' --out ')[1]!.split(' ')[0]).toBe(websiteDir);
    expect(result.websiteDir).toBe(websiteDir);
    const home = join(websiteDir, 'index.html');
    expect(lines).toContain(`       open ${pathToFileURL(home).href}`);
    expect(lines).toContain(`       or preview it over HTTP: granary site serve ${websiteDir}`);
    expect(await readFile(home, 'utf8')).toContain('<h1>demo</h1>');
    expect(await readFile(join(websiteDir, 'package', 'greeter.html'), 'utf8')).toContain('Says hello, in colour.');

    expect(result.seconds).toBeLessThan(60);
    expect(existsSync(result.dir)).toBe(false);
  });
});
