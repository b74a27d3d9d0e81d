/**
 * The search page's script. It runs in the browser, after minisearch.js, ranking.js and
 * data/search-index.js (all `<script defer>`, so it works from file:// too): it loads the prebuilt
 * MiniSearch index, ranks with the same ranking.js as `granary search`, and renders the hits with
 * DOM text nodes only. The form's fields are kept in the address, so a search can be linked to.
 * (A CommonJS file so that the TypeScript build copies it as it is; in Node it only exports `start`.)
 */
/* global window */
'use strict';

/** @param {any} window */
function startSearchPage(window) {
  const document = window.document;
  const data = window.GRANARY_SEARCH;
  const ranking = window.GranaryRanking;
  const MiniSearch = window.MiniSearch;
  const form = document.getElementById('search');
  const status = document.getElementById('status');
  const list = document.getElementById('results');
  const LIMIT = 100;
  if (!form || !status || !list) return;
  if (!data || !ranking || !MiniSearch) {
    status.textContent = 'The search index did not load, so search cannot run.';
    return;
  }
  const index = MiniSearch.loadJS(data.index, ranking.INDEX_OPTIONS);
  const FIELDS = ['q', 'scope', 'keyword', 'license', 'sort'];

  const params = new URLSearchParams(window.location.search);
  for (const name of FIELDS) {
    const field = form.elements.namedItem(name);
    const value = params.get(name);
    if (field && value !== null) field.value = value;
  }

  /** @param {string} name */
  function value(name) {
    const field = form.elements.namedItem(name);
    return field ? String(field.value) : '';
  }

  function query() {
    return {
      text: value('q'),
      scope: value('scope') || undefined,
      keyword: value('keyword') || undefined,
      license: value('license') || undefined,
      sort: value('sort') || 'relevance',
      now: Date.now(),
    };
  }

  /** @param {string} tag @param {string} text @param {string} [className] */
  function element(tag, text, className) {
    const node = document.createElement(tag);
    node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  /** @param {any} hit */
  function item(hit) {
    const d = hit.document;
    const li = document.createElement('li');
    li.dataset.name = d.name;
    const link = element('a', d.name);
    link.href = data.pages[d.name];
    li.append(link, ' ', element('span', d.latest || 'no stable version', 'muted'));
    if (d.deprecated) li.append(' ', element('span', 'deprecated', 'badge deprecated'));
    if (d.description) li.append(element('p', d.description));
    const facts = [];
    if (d.license) facts.push(d.license);
    if (d.updatedAt) facts.push('updated ' + d.updatedAt.slice(0, 10));
    if (d.keywords.length > 0) facts.push('keywords: ' + d.keywords.join(', '));
    facts.push('score ' + hit.score.toFixed(2));
    li.append(element('p', facts.join(' · '), 'muted'));
    return li;
  }

  function run() {
    const q = query();
    const hits = ranking.rank(index, data.documents, q);
    list.replaceChildren(...hits.slice(0, LIMIT).map(item));
    const words = q.text.trim();
    const what = words === '' ? '' : ' “' + words + '”';
    if (hits.length === 0) status.textContent = 'No package matches' + what + '.';
    else if (hits.length === 1) status.textContent = '1 package matches' + what + '.';
    else
      status.textContent =
        hits.length + ' packages match' + what + (hits.length > LIMIT ? '; the first ' + LIMIT + ' are shown.' : '.');
  }

  function remember() {
    const next = new URLSearchParams();
    for (const name of FIELDS) if (value(name) !== '') next.set(name, value(name));
    try {
      window.history.replaceState(null, '', '?' + next.toString());
    } catch {
      // Some browsers refuse to change a file:// address; the results are shown all the same.
    }
  }

  form.addEventListener('submit', (/** @type {any} */ event) => {
    event.preventDefault();
    remember();
    run();
  });
  form.addEventListener('input', run);
  form.addEventListener('change', () => {
    remember();
    run();
  });
  run();
}

if (typeof module === 'object' && module.exports) module.exports = startSearchPage;
else startSearchPage(window);
