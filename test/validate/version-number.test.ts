// The version-number rules, each failing example beside the nearest passing one.
import { describe, expect, it } from 'vitest';
import {
  firstVersionError,
  skippedVersionError,
  successors,
  upperBoundError,
} from '../../curator/validate/version-rules.js';

describe('version numbers', () => {
  it('version-skipped: a new version follows the highest earlier one without a gap', () => {
    expect(successors('1.2.3')).toEqual(['1.2.4', '1.3.0', '2.0.0']);
    expect(skippedVersionError('1.2.5', ['1.2.3'])).toMatch(/1\.2\.5 does not follow 1\.2\.3 without a gap/);
    expect(skippedVersionError('1.2.4', ['1.2.3'])).toBeUndefined();
    expect(skippedVersionError('1.4.0', ['1.2.3'])).toMatch(/1\.2\.4, 1\.3\.0, 2\.0\.0/);
    expect(skippedVersionError('1.3.0', ['1.2.3'])).toBeUndefined();
    expect(skippedVersionError('3.0.0', ['1.2.3'])).toBeDefined();
    expect(skippedVersionError('2.0.0', ['1.2.3'])).toBeUndefined();
    // A backport follows its own predecessor; a prerelease counts as its release.
    expect(skippedVersionError('1.2.4', ['1.2.3', '2.0.0'])).toBeUndefined();
    expect(skippedVersionError('1.2.6', ['1.2.3', '2.0.0'])).toBeDefined();
    expect(skippedVersionError('2.0.0-beta.1', ['1.2.3'])).toBeUndefined();
    expect(skippedVersionError('2.0.0', ['1.2.3', '2.0.0-beta.1'])).toBeUndefined();
    expect(skippedVersionError('2.1.0-rc.1', ['1.2.3'])).toBeDefined();
  });

  it('first-version: one of the configured starts', () => {
    const allowed = ['0.0.1', '0.1.0', '1.0.0'];
    expect(firstVersionError('3.0.0', allowed)).toMatch(
      /first version is one of 0\.0\.1, 0\.1\.0, 1\.0\.0, not 3\.0\.0/,
    );
    expect(firstVersionError('1.0.0', allowed)).toBeUndefined();
    expect(firstVersionError('0.2.0', allowed)).toBeDefined();
    expect(firstVersionError('0.1.0', allowed)).toBeUndefined();
    expect(firstVersionError('1.0.0-alpha.1', allowed)).toBeUndefined();
  });

  it('upper-bound: a range that stops somewhere', () => {
    expect(upperBoundError('alpha', '>=1.0.0')).toMatch(/no upper bound.*e\.g\. \^1\.0\.0/);
    expect(upperBoundError('alpha', '>=1.0.0 <2.0.0')).toBeUndefined();
    expect(upperBoundError('alpha', '*')).toBeDefined();
    expect(upperBoundError('alpha', '^1.0.0')).toBeUndefined();
    expect(upperBoundError('alpha', '^1.0.0 || >=3.0.0')).toBeDefined();
    expect(upperBoundError('alpha', '~0.3.1')).toBeUndefined();
  });
});
