/**
 * The site's one stylesheet (assets/site.css). Colours keep a contrast of at least 4.5:1 in the light and
 * the dark scheme; preformatted text wraps, so no region scrolls sideways.
 */
export const STYLESHEET_TEXT = `:root {
  --text: #1b1b1b;
  --muted: #4a4a4a;
  --back: #ffffff;
  --panel: #f3f4f6;
  --line: #c9ccd1;
  --link: #0a4fb8;
  --accent: #0a4fb8;
  --warn-back: #fff4d6;
  --warn-text: #5a3d00;
  --bad-back: #fde3e1;
  --bad-text: #86170e;
  --ok-text: #145c2a;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --text: #ececec;
    --muted: #bdbdbd;
    --back: #16181c;
    --panel: #22252b;
    --line: #454a52;
    --link: #8ab8ff;
    --accent: #8ab8ff;
    --warn-back: #3a2f10;
    --warn-text: #ffe08a;
    --bad-back: #3d1714;
    --bad-text: #ffb4ab;
    --ok-text: #8fdca5;
  }
}
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; }
body { margin: 0; color: var(--text); background: var(--back); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--accent);
  outline-offset: 2px;
}
.skip { position: absolute; left: -10000px; top: 0; padding: 0.5rem 1rem; background: var(--back); }
.skip:focus { left: 0.5rem; z-index: 1; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}
header.site, main, footer.site { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header.site { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.5rem 1.5rem; padding-top: 1rem; padding-bottom: 0.75rem; border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; color: var(--text); }
header.site ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; margin: 0; padding: 0; }
header.site a[aria-current="page"] { font-weight: 700; color: var(--text); }
footer.site { margin-top: 3rem; padding-top: 1rem; padding-bottom: 2rem; border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; }
h1 { font-size: 1.9rem; margin: 1.5rem 0 0.5rem; overflow-wrap: anywhere; }
h2 { font-size: 1.35rem; margin: 2rem 0 0.5rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 0.25rem; }
p, li, dd, td, th { overflow-wrap: anywhere; }
pre, code, kbd, samp { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.92em; }
pre { background: var(--panel); padding: 0.75rem 1rem; border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.lede { font-size: 1.1rem; color: var(--muted); margin-top: 0; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 4px; font-size: 0.85rem; font-weight: 600; background: var(--panel); color: var(--text); }
.badge.deprecated { background: var(--warn-back); color: var(--warn-text); }
.badge.yanked, .badge.unpublished { background: var(--bad-back); color: var(--bad-text); }
.notice { background: var(--warn-back); color: var(--warn-text); padding: 0.75rem 1rem; border-radius: 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 1rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
ul.inline { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; }
ul.packages { list-style: none; padding: 0; }
ul.packages > li { padding: 0.6rem 0; border-bottom: 1px solid var(--line); }
ul.packages p { margin: 0.15rem 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; }
.readme { border: 1px solid var(--line); border-radius: 6px; padding: 0 1.25rem; }
.readme img { max-width: 100%; height: auto; }
.readme table { width: auto; }
.diff { list-style: none; padding-left: 0; }
.diff del { color: var(--bad-text); }
.diff ins { color: var(--ok-text); text-decoration: none; }
form.search { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: end; margin: 1rem 0; }
form.search label { display: flex; flex-direction: column; gap: 0.2rem; font-weight: 600; }
input, select, button { font: inherit; padding: 0.35rem 0.5rem; color: var(--text); background: var(--back); border: 1px solid var(--muted); border-radius: 4px; }
button { cursor: pointer; background: var(--panel); }
input[type="search"], input[type="text"] { min-width: min(22rem, 100%); }
.stats { display: flex; flex-wrap: wrap; gap: 1rem 2.5rem; list-style: none; padding: 0; }
.stats strong { display: block; font-size: 1.6rem; }
.sparkline { display: block; margin: 0.35rem 0 0.15rem; color: var(--accent); }
.sparkline .baseline { fill: var(--line); }
details.daily table { width: auto; }
`;
