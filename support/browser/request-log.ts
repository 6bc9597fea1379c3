/**
 * Every request a page makes during a browser flow, subresources included, and the referrer
 * policy each HTML page declares in a <meta name="referrer"> (SEC-06: what the browser leg shows
 * to third parties). Attached for one flow; `detach()` waits for the pages' bodies to be read.
 */
import type { Page, Request, Response } from 'playwright';

export interface LoggedRequest {
  url: string;
  method: string;
  /** Playwright's resource type: document, script, image, stylesheet, fetch … */
  resourceType: string;
  /** A main-frame navigation (the authorization request, its redirects, form posts). */
  navigation: boolean;
  /** The document that made a subresource request; for a navigation, the one it leaves. */
  documentUrl: string;
}

export interface LoggedPage {
  url: string;
  /** The content of <meta name="referrer">, if the page has one. */
  metaReferrer?: string;
}

const META_REFERRER = /<meta\s[^>]*name=["']?referrer["']?[^>]*>/i;
const CONTENT = /content=["']?([^"'>\s]+)/i;

export class RequestLog {
  readonly requests: LoggedRequest[] = [];
  readonly pages: LoggedPage[] = [];
  private readonly reading: Array<Promise<void>> = [];

  constructor(private readonly page: Page) {
    page.on('request', this.onRequest);
    page.on('response', this.onResponse);
  }

  private readonly onRequest = (request: Request) => {
    const navigation = request.isNavigationRequest() && request.frame() === this.page.mainFrame();
    this.requests.push({ url: request.url(), method: request.method(), resourceType: request.resourceType(), navigation, documentUrl: request.frame().url() });
  };

  private readonly onResponse = (response: Response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || response.status() !== 200 || !/html/i.test(response.headers()['content-type'] ?? '')) return;
    const page: LoggedPage = { url: response.url() };
    this.pages.push(page);
    // Read at once: Chromium drops a document's body soon after the next navigation.
    this.reading.push(response.text().then((html) => {
      const meta = META_REFERRER.exec(html)?.[0];
      if (meta) page.metaReferrer = CONTENT.exec(meta)?.[1];
    }, () => undefined));
  };

  async detach(): Promise<void> {
    this.page.off('request', this.onRequest);
    this.page.off('response', this.onResponse);
    await Promise.all(this.reading);
  }
}
