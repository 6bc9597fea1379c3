/** The anti-framing defences a document's response headers declare (RFC 9700 §4.16, RFC 7034, CSP 3). */

export interface FramingHeaders {
  /** X-Frame-Options DENY or SAMEORIGIN. */
  xFrameOptions: boolean;
  /** A Content-Security-Policy (not report-only) with a frame-ancestors directive. */
  frameAncestors: boolean;
}

/** Reads headers with lower-case names, as Playwright gives them (repeated headers joined). */
export function framingHeaders(headers: Record<string, string>): FramingHeaders {
  const xfo = (headers['x-frame-options'] ?? '').trim().toUpperCase();
  const csp = headers['content-security-policy'] ?? '';
  return {
    xFrameOptions: xfo === 'DENY' || xfo === 'SAMEORIGIN',
    frameAncestors: /(?:^|[;,\n])\s*frame-ancestors(?:\s|;|$)/i.test(csp),
  };
}
