/**
 * Which Chromium to launch: an explicit path (PLEO_BROWSER_PATH) first, then, for a headless run,
 * a system headless shell, then Playwright's own download, then a full browser installed on the
 * system (Debian's `chromium` where Playwright cannot download).
 *
 * A headless run prefers the headless shell, as Playwright itself does: the same Blink without the
 * desktop browser around it, it takes about a quarter of the CPU per browser context, which is most
 * of what a run costs. A headed run (npm run login, --headed) needs the full browser.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Debian's chromium-headless-shell package. */
export const SYSTEM_HEADLESS_SHELLS = ['/usr/bin/chromium-headless-shell'];

export const SYSTEM_BROWSERS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface ResolvedBrowser {
  executablePath: string;
  source: 'PLEO_BROWSER_PATH' | 'headless shell' | 'playwright' | 'system';
}

export class BrowserNotFoundError extends Error {
  constructor(detail: string) {
    super(`${detail}. Run "npm run setup" to install one, or set PLEO_BROWSER_PATH to a Chromium or Chrome executable.`);
    this.name = 'BrowserNotFoundError';
  }
}

export interface ResolveOptions {
  /** A headless run (the default) may use a headless shell; a headed one needs a full browser. */
  headless?: boolean;
  /** Where to look (tests): the system's paths by default. */
  exists?: (path: string) => boolean;
}

/** `explicit` is PLEO_BROWSER_PATH, if set. */
export function resolveBrowser(explicit?: string, { headless = true, exists = existsSync }: ResolveOptions = {}): ResolvedBrowser {
  if (explicit) {
    if (!exists(explicit)) throw new BrowserNotFoundError(`PLEO_BROWSER_PATH points at ${explicit}, which does not exist`);
    return { executablePath: explicit, source: 'PLEO_BROWSER_PATH' };
  }
  const shell = headless ? SYSTEM_HEADLESS_SHELLS.find((path) => exists(path)) : undefined;
  if (shell) return { executablePath: shell, source: 'headless shell' };
  // Loaded only here: Playwright takes seconds to load, and a run with a bad setting must end at once.
  const { chromium } = createRequire(import.meta.url)('playwright') as typeof import('playwright');
  const bundled = chromium.executablePath();
  if (bundled && exists(bundled)) return { executablePath: bundled, source: 'playwright' };
  const system = SYSTEM_BROWSERS.find((path) => exists(path));
  if (system) return { executablePath: system, source: 'system' };
  throw new BrowserNotFoundError(`No Chromium found (neither ${headless ? 'a headless shell, ' : ''}Playwright's own nor a system one)`);
}
