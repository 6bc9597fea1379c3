/**
 * The consent form as the page's Allow button would submit it, read from the DOM, so that a check
 * can submit it in other ways: from another browser, without its hidden fields, as a GET (SEC-07).
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
