import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, resolveBrowser } from '../../support/browser/resolve.ts';

const only = (...paths: string[]) => (path: string) => paths.includes(path);

describe('resolveBrowser', () => {
  it('prefers the headless shell for a headless run', () => {
    expect(resolveBrowser(undefined, { exists: only('/usr/bin/chromium-headless-shell', '/usr/bin/chromium') }))
      .toEqual({ executablePath: '/usr/bin/chromium-headless-shell', source: 'headless shell' });
  });

  it('takes a full browser for a headed run, even with a headless shell there', () => {
    expect(resolveBrowser(undefined, { headless: false, exists: only('/usr/bin/chromium-headless-shell', '/usr/bin/chromium') }))
      .toEqual({ executablePath: '/usr/bin/chromium', source: 'system' });
  });

  it('falls back to a full browser when there is no headless shell', () => {
    expect(resolveBrowser(undefined, { exists: only('/usr/bin/chromium') }).executablePath).toBe('/usr/bin/chromium');
  });

  it('lets PLEO_BROWSER_PATH win, and names it when it does not exist', () => {
    expect(resolveBrowser('/opt/chrome', { exists: only('/opt/chrome', '/usr/bin/chromium-headless-shell') }).source).toBe('PLEO_BROWSER_PATH');
    expect(() => resolveBrowser('/opt/none', { exists: only() })).toThrow(/PLEO_BROWSER_PATH points at \/opt\/none/);
  });

  it('says what it looked for when there is nothing', () => {
    expect(() => resolveBrowser(undefined, { headless: false, exists: only() })).toThrow(BrowserNotFoundError);
    expect(() => resolveBrowser(undefined, { exists: only() })).toThrow(/neither a headless shell, Playwright's own nor a system one/);
  });
});
