// The name-similar rule: the same verdict whichever name came first; typosquats caught, established
// families of real names (from the PureScript registry) let through; the message says where the other is.
import { describe, expect, it } from 'vitest';
import { confusable, similarError } from '../../curator/validate/name-rules.js';

const both = (a: string, b: string) => {
  const one = confusable(a, b);
  expect(confusable(b, a), `${b} / ${a}`).toBe(one);
  return one;
};

describe('confusable names', () => {
  it('catches typosquats: one slip, look-alike letters, the same name spelled with other separators', () => {
    expect(both('prelud', 'prelude')).toBe('is one typing slip from');
    expect(both('arrrays', 'arrays')).toBe('is one typing slip from');
    expect(both('perlude', 'prelude')).toBe('is one typing slip from');
    expect(both('pre1ude', 'prelude')).toBe('looks the same as');
    expect(both('modern', 'modem')).toBe('looks the same as');
    expect(both('c0ntrol', 'control')).toBe('looks the same as');
    expect(both('left_pad', 'leftpad')).toBe('looks the same as');
    expect(both('halogen-vdon', 'halogen-vdom')).toBeUndefined(); // a short word: vdon/vdom
    expect(both('transformer', 'transfromer')).toBe('is one typing slip from');
  });

  it('lets established families through, whichever came first', () => {
    for (const [a, b] of [
      ['safe-coerce', 'unsafe-coerce'],
      ['ordered-collections', 'unordered-collections'],
      ['functor-products', 'functor-coproducts'],
      ['web-events', 'web-uievents'],
      ['yoga-fetch', 'yoga-fetch-om'],
      ['bigints', 'js-bigints'],
      ['option', 'options'],
      ['resource', 'resourcet'],
      ['clipboard', 'clipboardy'],
      ['node-http', 'node-http2'],
      ['halogen-bootstrap4', 'halogen-bootstrap5'],
      ['functor1', 'functors'],
      ['functors', 'functions'],
      ['bucketchain-cors', 'bucketchain-csrf'],
      ['classless-decode-json', 'classless-encode-json'],
      ['css', 'csv'],
      ['dom', 'sdom'],
    ])
      expect(both(a!, b!), `${a} / ${b}`).toBeUndefined();
  });

  it('says whether the other name is in the registry or new in the same pull request', () => {
    expect(similarError('arrrays', { published: ['arrays', 'prelude'] })).toMatch(
      /^the name arrrays is one typing slip from arrays \(in the registry\): /,
    );
    expect(similarError('prelud', { published: [], proposed: ['prelude'] })).toMatch(
      /is one typing slip from prelude \(new in this pull request\)/,
    );
    // Scopes are apart: @acme/arrays is nobody's typo of arrays.
    expect(similarError('@acme/arrrays', { published: ['arrays'] })).toBeUndefined();
    expect(similarError('@acme/arrrays', { published: ['@acme/arrays'] })).toMatch(/@acme\/arrays/);
  });
});
