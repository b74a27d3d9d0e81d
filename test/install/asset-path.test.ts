import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetLocation, assetPathError } from '../../client/fetch/asset-path.js';

describe('asset paths from index lines', () => {
  it('appends an asset path to an HTTP base as it is (GitHub download URLs keep a scoped tag encoded)', () => {
    expect(
      assetLocation('https://github.com/o/r/releases/download/', '%40acme%2Fwidgets/acme_widgets-1.0.0.tar.gz', '/'),
    ).toBe('https://github.com/o/r/releases/download/%40acme%2Fwidgets/acme_widgets-1.0.0.tar.gz');
    expect(assetLocation('http://127.0.0.1:1/assets', 'left-pad.2/left-pad-1.0.0.tar.gz', '/')).toBe(
      'http://127.0.0.1:1/assets/left-pad.2/left-pad-1.0.0.tar.gz',
    );
  });

  it('decodes an encoded scoped tag into directories below a directory base, as fs: stores and mirrors lay it out', () => {
    expect(assetLocation('/srv/assets', '%40acme%2Fwidgets/acme_widgets-1.0.0.tar.gz', '/')).toBe(
      join('/srv/assets', '@acme', 'widgets', 'acme_widgets-1.0.0.tar.gz'),
    );
    expect(assetLocation('/srv/assets', '@acme/widgets/acme_widgets-1.0.0.tar.gz', '/')).toBe(
      join('/srv/assets', '@acme', 'widgets', 'acme_widgets-1.0.0.tar.gz'),
    );
  });

  it.each([
    '../x.tar.gz',
    'a/../../x.tar.gz',
    '%2E%2E/x.tar.gz',
    'a%2F..%2F..%2Fetc/passwd',
    '/abs/x.tar.gz',
    'a//x.tar.gz',
    'a/%2Fx.tar.gz',
    'a/x%00.tar.gz',
    'a/x%5C..%5Cy.tar.gz',
    'a/%zz.tar.gz',
    'x.tar.gz',
    'a/b c.tar.gz',
  ])('refuses %j, for HTTP and directory bases alike', (asset) => {
    expect(assetPathError(asset)).toBeTypeOf('string');
    expect(() => assetLocation('/srv/assets', asset, '/')).toThrow(/unsafe asset path/);
    expect(() => assetLocation('https://example.test/assets', asset, '/')).toThrow(/unsafe asset path/);
  });
});
