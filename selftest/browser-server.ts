/**
 * One browser for the whole fault matrix: every copy of the suite connects to it (config.browser.wsEndpoint)
 * and opens its own contexts, so no fault pays for starting Chromium. Launched like the driver
 * launches it, with the run's private TMPDIR holding its profile.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserServer as PlaywrightBrowserServer } from 'playwright';
import playwrightConfig from '../playwright.config.ts';
import { resolveBrowser } from '../support/browser/resolve.ts';

export class BrowserServer {
  private constructor(private readonly server: PlaywrightBrowserServer, private readonly profileDir: string) {}

  /** `trustedKeys`: SPKI hashes of the certificates to accept (the https stand-ins' one). */
  static async start(trustedKeys: string[]): Promise<BrowserServer> {
    // Chromium's profile (the copies' session cookies) goes in a private folder, removed at close.
    const profileDir = mkdtempSync(join(tmpdir(), 'pleo-fault-matrix-'));
    const server = await chromium.launchServer({
      env: { ...process.env, TMPDIR: profileDir },
      ...playwrightConfig.use.launchOptions,
      args: [...playwrightConfig.use.launchOptions.args, ...(trustedKeys.length ? [`--ignore-certificate-errors-spki-list=${trustedKeys.join(',')}`] : [])],
      executablePath: resolveBrowser(undefined).executablePath,
      headless: true,
      // The stand-ins' redirect URIs are on loopback: no host-resolver rules (support/browser/driver.ts).
      host: '127.0.0.1',
    });
    return new BrowserServer(server, profileDir);
  }

  get wsEndpoint(): string {
    return this.server.wsEndpoint();
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.profileDir, { recursive: true, force: true });
  }
}
