/**
 * The HTML report must open from disk with no network: Allure's Awesome report always adds a
 * Google Analytics tag (its template hard-codes `analyticsEnable: true`; only the allure2 plugin
 * reads ALLURE_NO_ANALYTICS), so it is removed after generation, and anything else the page would
 * load from a host fails the build instead of leaking the report's existence.
 */

const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>\s*/gi;
const REMOTE_SRC = /\bsrc\s*=\s*["']?(?:https?:)?\/\//i;
const ANALYTICS = /googletagmanager|google-analytics|\bgtag\(|\bdataLayer\b/;

/** The HTML without remote scripts and without the inline analytics set-up. */
export function withoutAnalytics(html: string): string {
  return html.replace(SCRIPT, (whole, attributes: string, body: string) => (REMOTE_SRC.test(attributes) || ANALYTICS.test(body) ? '' : whole));
}

/** Every script, style sheet, image or frame the page would load from another host. */
export function remoteResources(html: string): string[] {
  const found: string[] = [];
  for (const [, tag] of html.matchAll(/<((?:script|link|img|iframe|source|embed)\b[^>]*)>/gi)) {
    const url = /\b(?:src|href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/i.exec(tag)?.[1];
    if (url) found.push(url);
  }
  return found;
}
