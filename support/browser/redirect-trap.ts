/**
 * Catches the authorization server's redirect to the client without any network. Playwright's
 * page.route never sees a request that is the target of a redirect, so the trap works one level
 * down: Chromium's Fetch domain pauses the navigation to the redirect URI's origin, and the trap
 * answers it itself with 204 No Content. The browser then stays on the page it was on, which
 * also spares it loading an error page for an unreachable callback.
 */
import type { CDPSession, Page } from 'playwright';

export class RedirectTrap {
  private origin: string | undefined;
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

  /** Catches the next navigation to `origin` (e.g. `https://oauth.pstmn.io`). */
  async arm(origin: string, onCapture: (url: string) => void): Promise<void> {
    if (origin !== this.origin) {
      await this.cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${origin}/*`, requestStage: 'Request' }] });
      this.origin = origin;
    }
    this.onCapture = onCapture;
  }

  disarm(): void {
    this.onCapture = undefined;
  }
}
