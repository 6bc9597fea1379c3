/**
 * How the driver recognises and fills the login and consent screens. The defaults fit a plain
 * email/password form and Allow/Deny buttons; each can be overridden from the environment for
 * an authorization server whose screens differ.
 */
import type { Page } from 'playwright';

export interface ScreenSelectors {
  email: string;
  password: string;
  submit: string;
  allow: RegExp;
  deny: RegExp;
  error: string;
}

export function screenSelectors(env: NodeJS.ProcessEnv = process.env): ScreenSelectors {
  const pick = (name: string, fallback: string) => env[name]?.trim() || fallback;
  return {
    email: pick('PLEO_LOGIN_EMAIL_SELECTOR', 'input[type=email], input[name=email], input[name=username]'),
    password: pick('PLEO_LOGIN_PASSWORD_SELECTOR', 'input[type=password]'),
    submit: pick('PLEO_LOGIN_SUBMIT_SELECTOR', 'button[type=submit], input[type=submit]'),
    allow: new RegExp(pick('PLEO_CONSENT_ALLOW_PATTERN', '^\\s*(allow|approve|accept|authori[sz]e|continue)\\s*$'), 'i'),
    deny: new RegExp(pick('PLEO_CONSENT_DENY_PATTERN', '^\\s*(deny|cancel|reject|decline)\\s*$'), 'i'),
    error: pick('PLEO_LOGIN_ERROR_SELECTOR', '[role=alert], .error, .alert'),
  };
}

export type Screen = 'login' | 'consent';

export function screenLocators(page: Page, selectors: ScreenSelectors) {
  return {
    email: page.locator(selectors.email).first(),
    password: page.locator(selectors.password).first(),
    submit: page.locator(selectors.submit).first(),
    allow: page.getByRole('button', { name: selectors.allow }).first(),
    deny: page.getByRole('button', { name: selectors.deny }).first(),
    error: page.locator(selectors.error).first(),
  };
}

/** Waits until the login or the consent screen is visible; undefined if neither shows in time. */
export async function nextScreen(locators: ReturnType<typeof screenLocators>, timeout: number): Promise<Screen | undefined> {
  const either = locators.allow.or(locators.password).or(locators.email).first();
  const shown = await either.waitFor({ state: 'visible', timeout }).then(() => true, () => false);
  if (!shown) return undefined;
  return (await locators.allow.isVisible()) ? 'consent' : 'login';
}
