/**
 * Catches the authorization server's redirect to the client without any network. Playwright's
 * page.route never sees a request that is the target of a redirect, so the trap works one level
 * down: Chromium's Fetch domain pauses the navigation to the redirect URI's origin, and the trap
 * answers it itself with 204 No Content. The browser then stays on the page it was on, which
 * also spares it loading an error page for an unreachable callback.
 */
import type { CDPSession, Page } from 'playwright';

export class RedirectTrap {
  private origins: string | undefined;
  private onCapture: ((url: string) => void) | undefined;

  private constructor(private readonly cdp: CDPSession) {}

  static async attach(page: Page): Promise<RedirectTrap> {
    const cdp = await page.context().newCDPSession(page);
    const trap = new RedirectTrap(cdp);
    cdp.on('Fetch.requestPaused', (event) => {
      const navigation = event.resourceType === 'Document';
      if (navigation) trap.onCapture?.(`${event.request.url}${event.request.urlFragment ?? ''}`);
      // Whatever goes to the redirect URI's origin is answered here: nothing leaves the browser.
      void cdp.send('Fetch.fulfillRequest', { requestId: event.requestId, responseCode: 204, responseHeaders: [] }).catch(() => undefined);
    });
    return trap;
  }

  /**
   * Catches the next navigation to `origin` (e.g. `https://oauth.pstmn.io`), or to any of several
   * origins: a check that offers an unregistered URI must see a redirect to it, or to any client URI.
   */
  async arm(origin: string | readonly string[], onCapture: (url: string) => void): Promise<void> {
    const origins = [...new Set(typeof origin === 'string' ? [origin] : origin)];
    if (origins.join(' ') !== this.origins) {
      await this.cdp.send('Fetch.enable', { patterns: origins.flatMap(trapPatterns) });
      this.origins = origins.join(' ');
    }
    this.onCapture = onCapture;
  }

  disarm(): void {
    this.onCapture = undefined;
  }
}

/** The origin itself, and the same host reached through user-info (`https://a@host/`). */
function trapPatterns(origin: string): Array<{ urlPattern: string; requestStage: 'Request' }> {
  const { protocol, host } = new URL(origin);
  return [`${origin}/*`, `${protocol}//*@${host}/*`].map((urlPattern) => ({ urlPattern, requestStage: 'Request' as const }));
}
