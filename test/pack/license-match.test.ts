// The license check's matcher on license files as projects write them: each is recognized as its own
// license and not as its nearest neighbour (a clause more or less is a different license), and the
// declared expression agrees when it names the file's license or one sharing its text.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { expressionLicenses, licenseDisagreement, matchLicenseText } from '../../curator/pack/license-match.js';
import { BSD_2_CLAUSE_LICENSE, BSD_3_CLAUSE_LICENSE, MIT_0_LICENSE, MIT_LICENSE } from '../helpers/license-texts.js';

const spdx = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;

describe('matchLicenseText', () => {
  it.each([
    ['MIT', MIT_LICENSE],
    ['MIT-0', MIT_0_LICENSE],
    ['BSD-3-Clause', BSD_3_CLAUSE_LICENSE],
    ['BSD-2-Clause', BSD_2_CLAUSE_LICENSE],
  ])('recognizes %s written by a project', (id, text) => {
    const [best, second] = matchLicenseText(text);
    expect(best!.id).toBe(id);
    expect(best!.score).toBeGreaterThan(0.95);
    expect(best!.score - second!.score).toBeGreaterThan(0.02);
  });

  it('is not fooled by a sentence that names a license', () => {
    expect(matchLicenseText('This project is licensed under the MIT license; see the website.')[0]!.score).toBeLessThan(
      0.3,
    );
  });
});

describe('licenseDisagreement', () => {
  it('agrees when the expression names the file’s license, in any position', () => {
    expect(licenseDisagreement('MIT', MIT_LICENSE)).toBeUndefined();
    expect(licenseDisagreement('(Apache-2.0 OR MIT)', MIT_LICENSE)).toBeUndefined();
    expect(licenseDisagreement('ISC AND BSD-3-Clause', BSD_3_CLAUSE_LICENSE)).toBeUndefined();
  });

  it('agrees with a license that shares the file’s text (the GPL’s -only and -or-later, a deprecated id)', () => {
    const gpl = spdx['GPL-3.0-only']!.licenseText;
    for (const declared of ['GPL-3.0-only', 'GPL-3.0-or-later', 'GPL-3.0+', 'GPL-3.0'])
      expect(licenseDisagreement(declared, gpl), declared).toBeUndefined();
  });

  it('agrees with Apache-2.0 whose appendix was left out, as many projects do', () => {
    const apache = spdx['Apache-2.0']!.licenseText.split('APPENDIX')[0]!;
    expect(licenseDisagreement('Apache-2.0', apache)).toBeUndefined();
  });

  it('disagrees when the file is another license, naming it and how alike the declared one is', () => {
    const bsd = licenseDisagreement('MIT', BSD_3_CLAUSE_LICENSE);
    expect(bsd?.found.id).toBe('BSD-3-Clause');
    expect(bsd?.closestDeclared?.id).toBe('MIT');
    expect(bsd!.closestDeclared!.score).toBeLessThan(0.5);
    // The neighbours: one clause apart.
    expect(licenseDisagreement('MIT', MIT_0_LICENSE)?.found.id).toBe('MIT-0');
    expect(licenseDisagreement('MIT-0', MIT_LICENSE)?.found.id).toBe('MIT');
    expect(licenseDisagreement('BSD-2-Clause', BSD_3_CLAUSE_LICENSE)?.found.id).toBe('BSD-3-Clause');
  });

  it('does not judge a text it does not recognize, or an expression with a LicenseRef', () => {
    expect(licenseDisagreement('MIT', 'All rights reserved. Ask before using.\n')).toBeUndefined();
    expect(licenseDisagreement('LicenseRef-Acme', BSD_3_CLAUSE_LICENSE)).toBeUndefined();
  });
});

describe('expressionLicenses', () => {
  it('lists the identifiers of an expression', () => {
    expect(expressionLicenses('ISC AND (GPL-3.0+ OR Apache-2.0 WITH LLVM-exception)')).toEqual([
      'ISC',
      'GPL-3.0',
      'Apache-2.0',
    ]);
    expect(expressionLicenses('(MIT OR')).toBeUndefined();
  });
});
