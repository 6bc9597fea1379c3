/**
 * How the driver recognises login screens (support/browser/login-page.ts), on the stand-in's own
 * pages and on a few other shapes, and what a masked screenshot hides (masked-screenshot.ts).
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { consentPage, loginPage, loginStepPage } from '../../fixtures/stand-in/pages.ts';
import { DEFAULT_SCREEN_SELECTORS, readScreen, screenSelectors, type Recogniser } from '../../support/browser/login-page.ts';
import { maskedScreenshot, SECRET_MARK } from '../../support/browser/masked-screenshot.ts';
import { resolveBrowser } from '../../support/browser/resolve.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';

let browser: Browser;
let page: Page;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: resolveBrowser().executablePath, args: ['--no-sandbox'] });
  page = await browser.newPage();
}, 60_000);
afterAll(() => browser?.close());
beforeEach(() => clearSecretsForTesting());

/** The HTML a stand-in page renderer writes. */
function html(render: (ctx: KoaContextWithOIDC) => void): string {
  const ctx = { set: () => undefined } as unknown as KoaContextWithOIDC;
  render(ctx);
  return String(ctx.body);
}

const recogniser: Recogniser = { selectors: screenSelectors(DEFAULT_SCREEN_SELECTORS), script: [] };
const screenOf = async (content: string, using = recogniser) => {
  await page.setContent(content);
  return readScreen(page, using);
};

describe('readScreen', () => {
  it("recognises the stand-in's login form, pleo-login steps and consent screen", async () => {
    expect(await screenOf(html((ctx) => loginPage(ctx, { csrf: 'x' })))).toEqual({ kind: 'login', fields: ['email', 'password'] });
    // The email step's button says "Continue", as consent buttons may: the field decides.
    expect(await screenOf(html((ctx) => loginStepPage(ctx, { csrf: 'x', step: 'email' })))).toEqual({ kind: 'login', fields: ['email'] });
    expect(await screenOf(html((ctx) => loginStepPage(ctx, { csrf: 'x', step: 'passcode' })))).toEqual({ kind: 'login', fields: ['passcode'] });
    expect(await screenOf(html((ctx) => loginStepPage(ctx, { csrf: 'x', step: 'totp' })))).toEqual({ kind: 'login', fields: ['totp'] });
    expect(await screenOf(html((ctx) => consentPage(ctx, { csrf: 'x', clientName: 'App', scopes: ['users:read'] })))).toEqual({ kind: 'consent' });
  });

  it('finds passcode and one-time-code fields by label, autocomplete or inputmode, and skips read-only fields', async () => {
    expect(await screenOf('<label>PIN <input type="password"></label>')).toEqual({ kind: 'login', fields: ['passcode'] });
    expect(await screenOf('<input aria-label="Verification code">')).toEqual({ kind: 'login', fields: ['totp'] });
    expect(await screenOf('<input inputmode="numeric" maxlength="6"><input inputmode="numeric" maxlength="4">')).toEqual({ kind: 'login', fields: ['passcode', 'totp'] });
    expect(await screenOf('<input type="email" value="me@example.test" readonly><input type="password">')).toEqual({ kind: 'login', fields: ['password'] });
    expect(await screenOf('<p>Loading…</p>')).toBeUndefined();
  });

  it('puts a matching login-script step first', async () => {
    const script = [{ name: 'pick', when: { text: 'choose a company', selector: 'select' }, fill: [], click: { button: 'Next' } }];
    const content = '<p>Choose a company</p><select><option>A</option></select><input type="email"><button>Next</button>';
    expect(await screenOf(content, { ...recogniser, script })).toEqual({ kind: 'script', step: 0 });
    expect(await screenOf(content.replace('<select><option>A</option></select>', ''), { ...recogniser, script })).toEqual({ kind: 'login', fields: ['email'] });
  });
});

describe('maskedScreenshot', () => {
  it('masks the texts that hold a registered secret or an email address, not the others', async () => {
    registerSecret('4821', 'passcode');
    await page.setContent('<p>Code sent to someone@example.test</p><div>Your passcode: <b>4821</b></div><p>Welcome back</p>');
    expect((await maskedScreenshot(page)).length).toBeGreaterThan(0);
    expect(await page.locator(`[${SECRET_MARK}]`).allInnerTexts()).toEqual(['Code sent to someone@example.test', '4821']);
  });
});
