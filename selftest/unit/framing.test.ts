import { describe, expect, it } from 'vitest';
import { framingHeaders } from '../../support/browser/framing.ts';

describe('framingHeaders', () => {
  it('reads X-Frame-Options and CSP frame-ancestors', () => {
    expect(framingHeaders({ 'x-frame-options': 'deny', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" })).toEqual({ xFrameOptions: true, frameAncestors: true });
    expect(framingHeaders({ 'x-frame-options': 'SAMEORIGIN' })).toEqual({ xFrameOptions: true, frameAncestors: false });
  });

  it('ignores ALLOW-FROM, report-only policies and look-alike directives', () => {
    expect(framingHeaders({ 'x-frame-options': 'ALLOW-FROM https://a.example', 'content-security-policy-report-only': "frame-ancestors 'none'" })).toEqual({ xFrameOptions: false, frameAncestors: false });
    expect(framingHeaders({ 'content-security-policy': "default-src 'self'; x-frame-ancestors 'none'" }).frameAncestors).toBe(false);
  });

  it('finds the directive in a second policy joined by a newline', () => {
    expect(framingHeaders({ 'content-security-policy': "default-src 'self'\nframe-ancestors 'self'" }).frameAncestors).toBe(true);
  });
});
