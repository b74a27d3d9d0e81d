/**
 * The lookup page's script: finds the package versions whose tarball SHA-256 (hex, or a lockfile's
 * `sha256-…` integrity) or content hash is the one asked for, in data/hashes.js (loaded before it with
 * `<script defer>`). A hash in the address (`lookup.html?hash=…` or `#…`) is looked up at once.
 * (A CommonJS file so that the TypeScript build copies it as it is; in Node it only exports `start`.)
 */
/* global window */
'use strict';

/** @param {any} window */
function startLookupPage(window) {
  const document = window.document;
  const data = window.GRANARY_HASHES;
  const form = document.getElementById('lookup');
  const input = document.getElementById('hash');
  const status = document.getElementById('status');
  const list = document.getElementById('results');
  if (!form || !input || !status || !list) return;
  if (!data) {
    status.textContent = 'The table of hashes did not load, so nothing can be looked up.';
    return;
  }

  /** The hex digest a text names, or undefined. @param {string} text */
  function hexOf(text) {
    const t = text.trim().replace(/^sha256:/i, '');
    if (/^[0-9a-f]{64}$/i.test(t)) return t.toLowerCase();
    const integrity = /^sha256-([A-Za-z0-9+/]{43}=)$/.exec(t);
    if (!integrity) return undefined;
    const bytes = window.atob(integrity[1]);
    let hex = '';
    for (let i = 0; i < bytes.length; i++) hex += bytes.charCodeAt(i).toString(16).padStart(2, '0');
    return hex;
  }

  /** @param {[number, string]} entry @param {string} what */
  function item(entry, what) {
    const [index, version] = entry;
    const [name, page] = data.packages[index];
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = page;
    link.textContent = name + '@' + version;
    li.append(link, ' ');
    const note = document.createElement('span');
    note.className = 'muted';
    note.textContent = what;
    li.append(note);
    return li;
  }

  function run() {
    const text = String(input.value);
    list.replaceChildren();
    if (text.trim() === '') {
      status.textContent = '';
      return;
    }
    const hex = hexOf(text);
    if (hex === undefined) {
      status.textContent = 'That is not a SHA-256: 64 hexadecimal digits, or sha256- and 44 base64 characters.';
      return;
    }
    const items = [];
    for (const entry of data.sha256[hex] || []) items.push(item(entry, 'its tarball has this SHA-256'));
    for (const entry of data.content[hex] || []) items.push(item(entry, 'its files have this content hash'));
    list.replaceChildren(...items);
    status.textContent =
      items.length === 0 ? 'No version of any package has the hash ' + hex + '.' : 'Found ' + hex + ':';
  }

  const params = new URLSearchParams(window.location.search);
  const asked = params.get('hash') || window.location.hash.slice(1);
  if (asked) {
    try {
      input.value = decodeURIComponent(asked);
    } catch {
      input.value = asked;
    }
  }
  form.addEventListener('submit', (/** @type {any} */ event) => {
    event.preventDefault();
    run();
  });
  run();
}

if (typeof module === 'object' && module.exports) module.exports = startLookupPage;
else startLookupPage(window);
