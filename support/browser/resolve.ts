/**
 * Which Chromium to launch: an explicit path (PLEO_BROWSER_PATH) first, then Playwright's own download,
 * then a browser installed on the system (Debian's `chromium` where Playwright cannot download).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface ResolvedBrowser {
  executablePath: string;
  source: 'PLEO_BROWSER_PATH' | 'playwright' | 'system';
}

export class BrowserNotFoundError extends Error {
  constructor(detail: string) {
    super(`${detail}. Run "npm run setup" to install one, or set PLEO_BROWSER_PATH to a Chromium or Chrome executable.`);
    this.name = 'BrowserNotFoundError';
  }
}

/** `explicit` is PLEO_BROWSER_PATH, if set. */
export function resolveBrowser(explicit?: string): ResolvedBrowser {
  if (explicit) {
    if (!existsSync(explicit)) throw new BrowserNotFoundError(`PLEO_BROWSER_PATH points at ${explicit}, which does not exist`);
    return { executablePath: explicit, source: 'PLEO_BROWSER_PATH' };
  }
  // Loaded only here: Playwright takes seconds to load, and a run with a bad setting must end at once.
  const { chromium } = createRequire(import.meta.url)('playwright') as typeof import('playwright');
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return { executablePath: bundled, source: 'playwright' };
  const system = SYSTEM_BROWSERS.find((path) => existsSync(path));
  if (system) return { executablePath: system, source: 'system' };
  throw new BrowserNotFoundError('No Chromium found (neither Playwright\'s own nor a system one)');
}
