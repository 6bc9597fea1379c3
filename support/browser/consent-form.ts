/**
 * The consent form as the page's Allow button would submit it, read from the DOM, and the login
 * form read from a page's markup, so that a check can submit them in other ways: from another
 * browser, without their hidden fields, as a GET (SEC-07).
 */
import type { Page } from 'playwright';

export interface FormField {
  name: string;
  value: string;
  /** A hidden input: where anti-CSRF values live. */
  hidden: boolean;
}

export interface SubmittedForm {
  /** The absolute URL the form posts to. */
  action: string;
  method: 'get' | 'post';
  fields: FormField[];
}

/** The form of the first visible button whose name matches `allow` (a case-insensitive regular expression source). */
export function readConsentForm(page: Page, allow: string): Promise<SubmittedForm | undefined> {
  return page.evaluate((source) => {
    const pattern = new RegExp(source, 'i');
    const buttons = [...document.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input[type=submit]')];
    const button = buttons.find((b) => pattern.test((b instanceof HTMLInputElement ? b.value : b.textContent ?? '').trim()));
    const form = button?.form;
    if (!button || !form) return undefined;
    const fields = [...new FormData(form, button)].map(([name, value]) => {
      const element = form.elements.namedItem(name);
      return { name, value: String(value), hidden: element instanceof HTMLInputElement && element.type === 'hidden' };
    });
    return { action: form.action, method: form.method === 'get' ? 'get' as const : 'post' as const, fields };
  }, allow).catch(() => undefined);
}

const ATTRIBUTE = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
const attribute = (tag: string, name: string) => {
  const match = ATTRIBUTE(name).exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
};
const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/**
 * The login form of an HTML page (the form with a password field), read from its markup for a
 * browser context with no page open: its inputs, with the email and password filled in.
 */
export function loginFormOf(html: string, pageUrl: string, login: { email: string; password: string }): SubmittedForm | undefined {
  const form = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].map(([markup]) => markup).find((markup) => /type\s*=\s*["']?password/i.test(markup));
  if (!form) return undefined;
  const open = /<form\b[^>]*>/i.exec(form)![0];
  const fields = [...form.matchAll(/<input\b[^>]*>/gi)].flatMap(([tag]): FormField[] => {
    const name = attribute(tag, 'name');
    const type = (attribute(tag, 'type') ?? 'text').toLowerCase();
    if (!name || ['submit', 'button', 'checkbox', 'radio'].includes(type)) return [];
    const value = type === 'password' ? login.password : type === 'email' || /mail|user|login/i.test(name) ? login.email : unescapeHtml(attribute(tag, 'value') ?? '');
    return [{ name, value, hidden: type === 'hidden' }];
  });
  const action = unescapeHtml(attribute(open, 'action') ?? '') || pageUrl;
  return { action: new URL(action, pageUrl).href, method: attribute(open, 'method')?.toLowerCase() === 'get' ? 'get' : 'post', fields };
}
