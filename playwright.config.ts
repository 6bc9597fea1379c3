/**
 * Browser settings for the suite's consent driver (support/browser/). The suite drives the
 * browser from Vitest, not from the Playwright Test runner, but keeps the settings here, in
 * Playwright's own shape, so they are found where a Playwright user looks for them.
 */
import type { PlaywrightTestConfig } from 'playwright/test';

const config = {
  use: {
    // --headed (config.browser.headed) overrides it.
    headless: true,
    actionTimeout: 10_000,
    // Real consent screens send strict CSPs (e.g. default-src 'none') that also block the scripts
    // Playwright uses to find elements. The suite reads CSP headers; it does not need them enforced.
    bypassCSP: true,
    navigationTimeout: 15_000,
    // Never record videos, nor traces the Playwright way: they would hold credentials typed into
    // the login form. `npm test -- --trace` records its own, redacted (support/browser/tracing.ts).
    trace: 'off',
    video: 'off',
    launchOptions: {
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
} satisfies PlaywrightTestConfig;

export default config;
