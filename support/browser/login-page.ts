/**
 * How the driver recognises the screens of a login: the fields of a login form (email, password,
 * Pleo's passcode, a one-time TOTP code), the consent screen, and the steps of a login script.
 * The defaults fit a plain email/password form and Allow/Deny buttons; each selector can be
 * overridden in the configuration (config.browser.selectors) for screens that differ, and the
 * passcode and TOTP fields are also recognised by their label, autocomplete and inputmode.
 */
import type { Page } from 'playwright';
import type { ScreenSelectorSettings } from '../config.ts';
import type { PageMatch, ScriptStep } from './login-script.ts';

export const DEFAULT_SCREEN_SELECTORS: ScreenSelectorSettings = {
  email: 'input[type=email], input[name=email], input[name=username]',
  password: 'input[type=password]',
  submit: 'button[type=submit], input[type=submit]',
  allow: '^\\s*(allow|approve|accept|authori[sz]e|continue)\\s*$',
  deny: '^\\s*(deny|cancel|reject|decline)\\s*$',
  error: '[role=alert], .error, .alert',
  passcode: 'input[name=passcode], input[name=pin]',
  totp: 'input[autocomplete=one-time-code]',
};

/** The CSS selectors among the settings (the consent buttons' are regular expressions). */
export const CSS_SELECTORS = ['email', 'password', 'submit', 'error', 'passcode', 'totp'] as const;

/** Labels (or aria-labels, placeholders, names) of the passcode and one-time-code fields. */
const PASSCODE_LABEL = /pass\s*code|\bpin\b/i;
const TOTP_LABEL = /one[-\s]?time|two[-\s]?factor|\b2fa\b|\bmfa\b|authenticat|verification code|security code|\btotp\b|6[-\s]?digit/i;

export interface ScreenSelectors extends Omit<ScreenSelectorSettings, 'allow' | 'deny'> {
  allow: RegExp;
  deny: RegExp;
}

/** The configured selectors, with the consent buttons' patterns compiled (case-insensitive). */
export function screenSelectors(settings: ScreenSelectorSettings): ScreenSelectors {
  return { ...settings, allow: new RegExp(settings.allow, 'i'), deny: new RegExp(settings.deny, 'i') };
}

/** The named CSS selectors that the page's own CSS engine rejects (run in any page, e.g. about:blank). */
export async function invalidCssSelectors(page: Page, named: Record<string, string>): Promise<string[]> {
  const script = `Object.entries(${JSON.stringify(named)}).filter(([, selector]) => {
    try { document.querySelectorAll(selector); return false; } catch { return true; }
  }).map(([name]) => name)`;
  return (await page.evaluate(script)) as string[];
}

/** A field of a login form, in the order the driver fills them. */
export type FieldKind = 'email' | 'password' | 'passcode' | 'totp';

export type Screen =
  | { kind: 'consent' }
  | { kind: 'login'; fields: FieldKind[] }
  /** A login-script step whose `when` matches (index into the script). */
  | { kind: 'script'; step: number };

/** The attribute the recogniser marks each login field with, so the driver can fill it by kind. */
export const FIELD_MARK = 'data-conformance-field';

export const fieldSelector = (kind: FieldKind) => `[${FIELD_MARK}="${kind}"]`;

/**
 * The recogniser runs in the page as one script: Playwright's locator engine costs tens of
 * milliseconds on every new document. Kept as plain JavaScript text: a compiled function could
 * carry transpiler helpers that do not exist in the page.
 */
const IN_PAGE = `(() => {
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const named = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
  const buttons = () => [...document.querySelectorAll('button, input[type=submit], input[type=button], [role=button]')].filter(shown);
  const NOT_TYPED = ['hidden', 'submit', 'button', 'checkbox', 'radio', 'image', 'reset', 'file'];
  const typable = (el) => shown(el) && !el.disabled && !el.readOnly && !NOT_TYPED.includes(el.type);
  const described = (el) => [...(el.labels || [])].map((l) => l.innerText).concat(
    [el.getAttribute('aria-label'), el.placeholder, el.name, el.id]).filter(Boolean).join(' ');
  const numeric = (el) => el.inputMode === 'numeric' || el.type === 'tel' || el.type === 'number';
  const matches = (match, url) => (!match.url || new RegExp(match.url, 'i').test(url))
    && (!match.selector || [...document.querySelectorAll(match.selector)].some(shown))
    && (!match.text || new RegExp(match.text, 'i').test(document.body ? document.body.innerText : ''));
  return {
    button: (pattern) => buttons().find((b) => pattern.test(named(b))),
    matches,
    /** Marks each typable field with its kind; returns the kinds, in the order they are filled. */
    fields: (css, labels) => {
      document.querySelectorAll('[${FIELD_MARK}]').forEach((el) => el.removeAttribute('${FIELD_MARK}'));
      const kinds = [];
      for (const el of document.querySelectorAll('input, textarea')) {
        if (!typable(el)) continue;
        const text = described(el);
        const kind = (el.matches(css.totp) || el.getAttribute('autocomplete') === 'one-time-code' || labels.totp.test(text) || (numeric(el) && el.maxLength === 6)) ? 'totp'
          : (el.matches(css.passcode) || labels.passcode.test(text) || (numeric(el) && el.maxLength === 4)) ? 'passcode'
          : el.matches(css.password) ? 'password'
          : el.matches(css.email) ? 'email' : undefined;
        if (!kind) continue;
        el.setAttribute('${FIELD_MARK}', kind);
        if (!kinds.includes(kind)) kinds.push(kind);
      }
      return ['email', 'password', 'passcode', 'totp'].filter((k) => kinds.includes(k));
    },
  };
})()`;

/** What the recogniser needs: the selectors and the script's page conditions. */
export interface Recogniser {
  selectors: ScreenSelectors;
  script: readonly ScriptStep[];
}

/**
 * The screen on show, or undefined when nothing matched yet (a page still rendering). A script
 * step comes first (the user wrote it for this page), then a login form (its button may well be
 * called "Continue", like a consent button), then the consent screen.
 */
export function readScreen(page: Page, { selectors, script }: Recogniser): Promise<Screen | undefined> {
  const css = { email: selectors.email, password: selectors.password, passcode: selectors.passcode, totp: selectors.totp };
  const code = `(() => { const dom = ${IN_PAGE};
    const step = ${JSON.stringify(script.map((s) => s.when))}.findIndex((when) => dom.matches(when, location.href));
    if (step >= 0) return { kind: 'script', step };
    const fields = dom.fields(${JSON.stringify(css)}, { passcode: ${PASSCODE_LABEL}, totp: ${TOTP_LABEL} });
    if (fields.length) return { kind: 'login', fields };
    return dom.button(${selectors.allow}) ? { kind: 'consent' } : undefined; })()`;
  // A document that has just arrived may not have its script context yet: one more try after it has.
  return page.evaluate(code).catch(() => page.waitForLoadState('domcontentloaded').then(() => page.evaluate(code)))
    .then((s) => (s ?? undefined) as Screen | undefined, () => undefined);
}

/** Polls for a screen until `timeout` ms have passed or `stop` settles; undefined if none showed. */
export async function waitForScreen(page: Page, recogniser: Recogniser, timeout: number, stop: Promise<unknown>): Promise<Screen | undefined> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  const deadline = Date.now() + timeout;
  while (!stopped && Date.now() < deadline) {
    const screen = await readScreen(page, recogniser);
    if (screen) return screen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/** Whether the page matches a script's condition (a step's `waitFor`). */
export function pageMatches(page: Page, match: PageMatch): Promise<boolean> {
  return page.evaluate(`${IN_PAGE}.matches(${JSON.stringify(match)}, location.href)`).then((m) => m === true, () => false);
}

/** Clicks the visible button whose name matches; false if there is none (use the locator then). */
export function quickClick(page: Page, name: RegExp): Promise<boolean> {
  const script = `(() => { const b = ${IN_PAGE}.button(${name}); b?.click(); return Boolean(b); })()`;
  return page.evaluate(script).then((clicked) => clicked === true, () => false);
}

/** The consent buttons, for when the in-page click finds none (quickClick). */
export function consentButtons(page: Page, selectors: ScreenSelectors) {
  // A page may hold hidden buttons (of a later step): only visible ones count.
  const visible = (name: RegExp) => page.getByRole('button', { name }).filter({ visible: true }).first();
  return { allow: visible(selectors.allow), deny: visible(selectors.deny) };
}
