// The SPDX license expression rule, with plain strings.
import { describe, expect, it } from 'vitest';
import { licenseError } from '../../curator/registry/license-rule.js';

describe('licenseError', () => {
  it('accepts SPDX expressions found in real registries', () => {
    for (const ok of [
      'MIT',
      'Apache-2.0',
      '(GPL-3.0-only OR MIT)',
      'LGPL-3.0+',
      'ISC AND (GPL-3.0-only OR MIT)',
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
      'LicenseRef-Custom',
    ]) {
      expect(licenseError(ok), ok).toBeUndefined();
    }
  });
  it('refuses prose, lowercase operators, unbalanced parentheses', () => {
    expect(licenseError('MIT or Apache')).toMatch(/capitals: OR/);
    expect(licenseError('(MIT OR ISC')).toMatch(/not closed/);
    expect(licenseError('MIT OR')).toMatch(/ends where a license was expected/);
    expect(licenseError('(MIT OR')).toMatch(/ends where a license was expected/);
    expect(licenseError('GNU General Public License, v3')).toMatch(/not an SPDX license expression/);
    expect(licenseError('')).toMatch(/empty/);
  });
  it('refuses identifiers the SPDX list does not have, suggesting the one meant', () => {
    expect(licenseError('Foo-1')).toMatch(/"Foo-1" is not an SPDX license identifier/);
    expect(licenseError('Apache 2.0')).toMatch(/did you mean Apache-2\.0\?/);
    expect(licenseError('GPLv3')).toMatch(/did you mean GPL-3\.0-or-later\?/);
    // An expression gets no single-identifier guess.
    expect(licenseError('(MIT OR Foo-1)')).not.toMatch(/did you mean/);
  });
});
