// The README shows a package page of the site: docs/images/package-page.png. `GRANARY_UPDATE_SCREENSHOT=1`
// makes it again (the page of `widgets` in the site tests' registry, in headless Chromium); every run checks
// that the committed file is a PNG of that size, small enough for the repository.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../client/registry.js';
import { buildSite } from '../../client/site/build-site.js';
import { buildSiteFixture } from './fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../../docs/images/package-page.png', import.meta.url));
const VIEWPORT = { width: 1000, height: 700 };
const MAX_BYTES = 150 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const update = process.env.GRANARY_UPDATE_SCREENSHOT === '1';
const updating = update
  ? existsSync(CHROMIUM)
    ? 'makes docs/images/package-page.png again from the page of widgets'
    : `makes docs/images/package-page.png again — skipped: ${CHROMIUM} is not installed`
  : 'makes docs/images/package-page.png again — skipped: set GRANARY_UPDATE_SCREENSHOT=1 to';

/** The page of `widgets`, as Chromium shows it at VIEWPORT, as PNG bytes. */
async function screenshot(): Promise<Buffer> {
  const root = await mkdtemp(join(tmpdir(), 'granary-'));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    headless: true,
  });
  try {
    const fixture = await buildSiteFixture(root);
    const cacheDir = join(root, 'cache');
    const registry = await openRegistry(fixture.registryDir, { cwd: root, trustKey: fixture.publicKey, cacheDir });
    const site = join(root, 'site');
    await buildSite(registry, { outDir: site, cacheDir, cwd: root });
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light' });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(site, 'package', 'widgets.html')).href, { waitUntil: 'load' });
    return await page.screenshot({ type: 'png' });
  } finally {
    await browser.close();
    await rm(root, { recursive: true, force: true });
  }
}

describe("the README's screenshot of a package page", () => {
  it.runIf(update && existsSync(CHROMIUM))(
    updating,
    async () => {
      const png = await screenshot();
      await mkdir(join(SCREENSHOT, '..'), { recursive: true });
      await writeFile(SCREENSHOT, png);
      console.log(`wrote ${SCREENSHOT}: ${png.length} bytes`);
    },
    60_000,
  );

  it(`is a ${VIEWPORT.width}×${VIEWPORT.height} PNG of at most ${MAX_BYTES / 1024} KB`, async () => {
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // The first chunk is IHDR: width and height, big-endian, right after its length and type.
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(VIEWPORT);
    expect(png.length).toBeLessThanOrEqual(MAX_BYTES);
  });
});
