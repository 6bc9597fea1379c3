/**
 * Screenshots that may leave the suite (a failed login's, the consent screen's): every form field
 * is masked, and so is every text that holds something redact() would mask (a registered secret,
 * an email address), such as a page that echoes the user's email or a code.
 */
import type { Page } from 'playwright';
import { redact } from '../secrets.ts';

/** The attribute that marks an element whose text a screenshot masks. */
export const SECRET_MARK = 'data-conformance-secret';

/** The page's elements with text of their own, as an in-page expression. */
const TEXT_OWNERS = `[...document.querySelectorAll('body *')].filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))`;

/**
 * Marks the elements whose own text holds a secret. The registry stays in Node: the page gets
 * only the positions of the elements to mark.
 */
async function markSecretTexts(page: Page): Promise<void> {
  const texts = (await page.evaluate(`${TEXT_OWNERS}.map((el) => [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join(' '))`)) as string[];
  const secret = texts.flatMap((text, i) => (redact(text) === text ? [] : [i]));
  if (secret.length) await page.evaluate(`(() => { const all = ${TEXT_OWNERS}; for (const i of ${JSON.stringify(secret)}) all[i].setAttribute('${SECRET_MARK}', ''); })()`);
}

export async function maskedScreenshot(page: Page): Promise<Buffer> {
  await markSecretTexts(page).catch(() => undefined);
  return page.screenshot({ mask: [page.locator(`input, textarea, select, [${SECRET_MARK}]`)], fullPage: true });
}

