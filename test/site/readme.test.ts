// README rendering: Markdown through marked, then sanitize-html keeps only harmless markup; relative links
// and images point into the source at its commit where the host is known.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { README_RENDERER, renderReadme, sanitizeMarkdown } from '../../client/site/readme.js';
import { sourceLinks } from '../../client/site/source-link.js';

const COMMIT = 'a'.repeat(40);
const github = sourceLinks({ github: 'acme/widgets', subdir: 'packages/core' }, COMMIT);

describe('the README sanitizer', () => {
  it('removes scripts, event handlers, styles, frames, forms and javascript: or data: addresses', () => {
    const hostile = [
      '<script>window.__pwned = 1</script>',
      '<img src=x onerror="window.__pwned = 2">',
      '<img src="https://example.org/a.png" onload="x()">',
      '[js](javascript:alert(1)) [tab](jav&#x09;ascript:alert(1)) [data](data:text/html,<script>x</script>)',
      '<a href="JAVASCRIPT:alert(1)">upper</a> <a href="https://ok.example/" onclick="x()">ok</a>',
      '<div style="background:url(javascript:x)" class="evil" id="main">styled</div>',
      '<iframe src="https://example.org/"></iframe><object data="x"></object><embed src="x">',
      '<form action="https://example.org/"><input name="q"><button>go</button></form>',
      '<svg><script>alert(1)</script></svg><math><mi xlink:href="javascript:alert(1)">m</mi></math>',
      '<style>body{display:none}</style><link rel="stylesheet" href="https://x/"><meta http-equiv="refresh" content="0;url=https://x/">',
      '<base href="https://evil.example/"><noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    ].join('\n\n');
    for (const out of [sanitizeMarkdown(hostile), sanitizeMarkdown(hostile, github)]) {
      expect(out).not.toMatch(
        /<script|<style|<iframe|<object|<embed|<form|<input|<button|<svg|<math|<link|<meta|<base/i,
      );
      expect(out).not.toMatch(/\son[a-z]+\s*=|javascript:|data:text|style=|\bid=|class="evil"/i);
      expect(out).not.toContain('__pwned');
      expect(out).toContain('<a href="https://ok.example/" rel="nofollow ugc noopener noreferrer">ok</a>');
      expect(out).toContain('styled');
    }
  });

  it('keeps ordinary Markdown: headings one step under the page, code, tables, lists, https images, details', () => {
    const out = sanitizeMarkdown(
      [
        '# Title',
        '## Part',
        '```js\nconst a = 1 < 2;\n```',
        '| a | b |\n| - | - |\n| 1 | 2 |',
        '- [x] done\n- [ ] open',
        '![logo](https://example.org/logo.png "Logo")',
        '<details><summary>More</summary>hidden</details>',
      ].join('\n\n'),
    );
    expect(out).toContain('<h3>Title</h3>');
    expect(out).toContain('<h4>Part</h4>');
    expect(out).toContain('<pre><code class="language-js">const a = 1 &lt; 2;');
    expect(out).toMatch(/<table>[\s\S]*<th>a<\/th>[\s\S]*<td>1<\/td>/);
    expect(out).toContain('[x] ');
    expect(out).toContain('<img src="https://example.org/logo.png" alt="logo" title="Logo" />');
    expect(out).toContain('<details><summary>More</summary>hidden</details>');
  });

  it('allows images over https only, gives every image a text alternative, and drops links left empty', () => {
    const out = sanitizeMarkdown(
      '![](http://insecure.example/a.png) ![](https://example.org/build%20status.svg) [![](http://x.example/b.svg)](https://ci.example/)',
    );
    expect(out).not.toContain('insecure.example');
    expect(out).toContain('alt="build status.svg"');
    expect(out).not.toContain('https://ci.example/');
  });

  it('points relative links and images into the source at its commit, or drops them when the host is unknown', () => {
    const md = '[guide](docs/guide.md) ![shot](./img/a.png) [up](../../etc/passwd) [top](#use)';
    const linked = sanitizeMarkdown(md, github);
    expect(linked).toContain(`href="https://github.com/acme/widgets/blob/${COMMIT}/packages/core/docs/guide.md"`);
    expect(linked).toContain(`src="https://raw.githubusercontent.com/acme/widgets/${COMMIT}/packages/core/img/a.png"`);
    expect(linked).not.toContain('passwd"');
    expect(linked).toContain('up');
    expect(linked).toContain('href="#use"');
    const unknown = sanitizeMarkdown(md, sourceLinks({ git: 'file:///srv/widgets' }, COMMIT));
    expect(unknown).not.toContain('docs/guide.md');
    expect(unknown).not.toContain('<img');
    expect(unknown).toContain('guide');
  });

  it('shows a README that is not Markdown as text, and cuts a huge one with a note', () => {
    expect(renderReadme('<b>bold</b>\n', 'README.txt').text).toBe(
      '<pre class="readme-text">&lt;b&gt;bold&lt;/b&gt;\n</pre>',
    );
    const huge = renderReadme(`# big\n\n${'word '.repeat(60_000)}`, 'README.md').text;
    expect(huge).toContain('longer than the site shows');
    expect(huge.length).toBeLessThan(270_000);
  });

  it('is named by README_RENDERER: HTML it makes differently comes with a new number there', () => {
    // Rebuilds reuse a README rendered by the same renderer. When this digest changes, READMEs render
    // differently: raise the number in README_RENDERER (client/site/readme.ts) so cached ones are made
    // again, and record the new digest here. (A new marked or sanitize-html renames the renderer by itself.)
    const sample = [
      '# Title\n\nText with **bold**, `code`, a [link](https://example.org/) and a [relative one](docs/a.md).',
      '```js\nconst a = 1 < 2;\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n- [ ] open',
      '![badge](https://example.org/b.svg) ![](./img/a.png) <details><summary>More</summary>hidden</details>',
      '<script>x()</script><img src=x onerror="y()"><a href="javascript:z()">js</a>',
    ].join('\n\n');
    const digest = createHash('sha256')
      .update(renderReadme(sample, 'README.md', github).text)
      .digest('hex');
    expect({ renderer: README_RENDERER.split(';')[0], digest }).toEqual({
      renderer: 'readme 1',
      digest: 'ec5fa253861b6fecb43b610c56aae6a619ab51c5f34e727896361f8b32acb232',
    });
  });
});

describe('source links', () => {
  it('link GitHub and GitLab sources at the exact commit, and only show other locations', () => {
    expect(github?.tree).toBe(`https://github.com/acme/widgets/tree/${COMMIT}/packages/core`);
    const viaUrl = sourceLinks({ git: 'https://github.com/acme/widgets.git' }, COMMIT);
    expect(viaUrl?.tree).toBe(`https://github.com/acme/widgets/tree/${COMMIT}`);
    expect(viaUrl?.blob?.('a b.md')).toBe(`https://github.com/acme/widgets/blob/${COMMIT}/a%20b.md`);
    const gitlab = sourceLinks({ git: 'https://gitlab.com/group/sub/repo.git' }, COMMIT);
    expect(gitlab?.tree).toBe(`https://gitlab.com/group/sub/repo/-/tree/${COMMIT}`);
    expect(sourceLinks({ git: 'https://git.example.org/x.git' }, COMMIT)).toEqual({
      display: 'https://git.example.org/x.git',
    });
    expect(sourceLinks({ github: 'acme/widgets', subdir: '../x' }, COMMIT)?.tree).toBe(
      `https://github.com/acme/widgets/tree/${COMMIT}`,
    );
    expect(sourceLinks({ github: 'acme/widgets' }, 'not-a-commit')).toEqual({ display: 'github:acme/widgets' });
    expect(sourceLinks(undefined, COMMIT)).toBeUndefined();
  });
});
