import { describe, expect, it } from 'vitest';
import { citation, clauseUrl } from '../../support/refs.ts';

describe('clauseUrl', () => {
  it.each([
    ['RFC6749-5.1', 'https://www.rfc-editor.org/rfc/rfc6749#section-5.1'],
    ['RFC6749-4.1.2.1', 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1'],
    ['RFC7636-B', 'https://www.rfc-editor.org/rfc/rfc7636#appendix-B'],
    ['RFC6749-B.1', 'https://www.rfc-editor.org/rfc/rfc6749#appendix-B.1'],
    ['RFC6749', 'https://www.rfc-editor.org/rfc/rfc6749'],
  ])('%s → %s', (ref, url) => {
    expect(clauseUrl(ref)).toBe(url);
  });

  it.each(['OAUTH2.1-4.3', 'rfc6749-5.1', 'RFC-5.1', 'PLEO-API'])('is undefined for %s', (ref) => {
    expect(clauseUrl(ref)).toBeUndefined();
  });
});

describe('citation', () => {
  it.each([
    ['RFC6749-5.1', 'RFC 6749 §5.1'],
    ['RFC6749', 'RFC 6749'],
    ['OAUTH2.1-4.3', 'OAUTH2.1-4.3'],
  ])('%s → %s', (ref, text) => {
    expect(citation(ref)).toBe(text);
  });
});
