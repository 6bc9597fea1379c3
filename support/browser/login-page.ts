/**
 * How the driver recognises and fills the login and consent screens. The defaults fit a plain
 * email/password form and Allow/Deny buttons; each can be overridden in the configuration
 * (config.browser.selectors) for an authorization server whose screens differ.
 */
import type { Page } from 'playwright';
import type { ScreenSelectorSettings } from '../config.ts';

export const DEFAULT_SCREEN_SELECTORS: ScreenSelectorSettings = {
  email: 'input[type=email], input[name=email], input[name=username]',
  password: 'input[type=password]',
  submit: 'button[type=submit], input[type=submit]',
  allow: '^\\s*(allow|approve|accept|authori[sz]e|continue)\\s*$',
  deny: '^\\s*(deny|cancel|reject|decline)\\s*$',
  error: '[role=alert], .error, .alert',
};

export interface ScreenSelectors {
  email: string;
  password: string;
  submit: string;
  allow: RegExp;
  deny: RegExp;
  error: string;
}

/** The configured selectors, with the consent buttons' patterns compiled (case-insensitive). */
export function screenSelectors(settings: ScreenSelectorSettings): ScreenSelectors {
  return { ...settings, allow: new RegExp(settings.allow, 'i'), deny: new RegExp(settings.deny, 'i') };
}

/** The login form's CSS selectors that the page's own CSS engine rejects (run in any page, e.g. about:blank). */
export async function invalidCssSelectors(page: Page, settings: ScreenSelectorSettings): Promise<Array<keyof ScreenSelectorSettings>> {
  const { email, password, submit, error } = settings;
  const script = `Object.entries(${JSON.stringify({ email, password, submit, error })}).filter(([, selector]) => {
    try { document.querySelectorAll(selector); return false; } catch { return true; }
  }).map(([name]) => name)`;
  return (await page.evaluate(script)) as Array<keyof ScreenSelectorSettings>;
}

export type Screen = 'login' | 'consent';

export function screenLocators(page: Page, selectors: ScreenSelectors) {
  const all = {
    email: page.locator(selectors.email),
    password: page.locator(selectors.password),
    submit: page.locator(selectors.submit),
    allow: page.getByRole('button', { name: selectors.allow }),
    deny: page.getByRole('button', { name: selectors.deny }),
    error: page.locator(selectors.error),
  };
  // A form may hold hidden fields (a password input of a later step): only visible ones count.
  const visible = (locator: typeof all.email) => locator.filter({ visible: true }).first();
  return {
    email: visible(all.email),
    password: visible(all.password),
    submit: visible(all.submit),
    allow: visible(all.allow),
    deny: visible(all.deny),
    error: visible(all.error),
    /** Whichever of the consent button and the login fields shows first. */
    anyScreen: all.allow.or(all.password).or(all.email).filter({ visible: true }).first(),
  };
}

/** Waits until the login or the consent screen is visible; undefined if neither shows in time. */
export async function nextScreen(locators: ReturnType<typeof screenLocators>, timeout: number): Promise<Screen | undefined> {
  const deadline = Date.now() + timeout;
  // A navigation in progress makes waitFor fail early (its document goes away): wait again.
  while (Date.now() < deadline) {
    const shown = await locators.anyScreen.waitFor({ state: 'visible', timeout: deadline - Date.now() }).then(() => true, () => false);
    if (shown) return (await locators.allow.isVisible()) ? 'consent' : 'login';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/**
 * The fast path: one script in the page instead of Playwright's locator engine, whose first use
 * on every new document costs tens of milliseconds. Kept as plain JavaScript text: a compiled
 * function could carry transpiler helpers that do not exist in the page.
 */
const IN_PAGE = `(() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const named = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
  const buttons = () => [...document.querySelectorAll('button, input[type=submit], input[type=button], [role=button]')].filter(shown);
  return {
    button: (pattern) => buttons().find((b) => pattern.test(named(b))),
    fields: (selector) => [...document.querySelectorAll(selector)].some(shown),
  };
})()`;

/** The screen on show, or undefined when nothing matched yet (a page still rendering). */
export function quickScreen(page: Page, selectors: ScreenSelectors): Promise<Screen | undefined> {
  const script = `(() => { const dom = ${IN_PAGE};
    if (dom.button(${selectors.allow})) return 'consent';
    if (dom.fields(${JSON.stringify(`${selectors.password}, ${selectors.email}`)})) return 'login';
    return undefined; })()`;
  // A document that has just arrived may not have its script context yet: one more try after it has.
  return page.evaluate(script).catch(() => page.waitForLoadState('domcontentloaded').then(() => page.evaluate(script)))
    .then((s) => s as Screen | undefined, () => undefined);
}

/** Clicks the visible button whose name matches; false if there is none (use the locator then). */
export function quickClick(page: Page, name: RegExp): Promise<boolean> {
  const script = `(() => { const b = ${IN_PAGE}.button(${name}); b?.click(); return Boolean(b); })()`;
  return page.evaluate(script).then((clicked) => clicked === true, () => false);
}
