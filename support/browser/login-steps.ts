/**
 * The login strategies of one authorization flow: the built-in form strategy (whatever of email,
 * password, passcode and TOTP code a page asks for, on one page or several), and the steps of a
 * declarative login script. Each knows its step's name, so that a failed login says which step
 * failed and why ("passcode step: the page still shows the passcode field after submit").
 */
import { generateSync } from 'otplib';
import type { Locator, Page } from 'playwright';
import type { LoginSettings } from '../config-login.ts';
import { registerSecret } from '../secrets.ts';
import { fieldSelector, pageMatches, type FieldKind, type ScreenSelectors } from './login-page.ts';
import { placeholders, substitute, type PageMatch, type ScriptStep, type ScriptVariable } from './login-script.ts';

/** What a step needs from the driver. */
export interface StepContext {
  page: Page;
  /** Runs an action and waits until the page navigated or the flow ended. */
  settle: (action: () => Promise<void>) => Promise<void>;
  /** The error that ends the flow (with a masked screenshot). */
  fail: (message: string) => Promise<Error>;
  /** Resolves when the flow ended (the redirect was captured). */
  ended: Promise<void>;
  timeout: number;
}

const FIELDS: Record<FieldKind, { step: string; field: string; variable: string }> = {
  email: { step: 'email', field: 'email', variable: 'PLEO_LOGIN_EMAIL' },
  password: { step: 'password', field: 'password', variable: 'PLEO_LOGIN_PASSWORD' },
  passcode: { step: 'passcode', field: 'passcode', variable: 'PLEO_LOGIN_PASSCODE' },
  totp: { step: 'TOTP', field: 'one-time code', variable: 'PLEO_LOGIN_TOTP_SECRET' },
};

const TOTP_PERIOD_S = 30;
/** A code with less time than this left is not typed: it could expire on its way. */
const TOTP_MARGIN_S = 3;

/** The current TOTP code (RFC 6238 defaults: SHA-1, 6 digits, 30 s); registered as a secret. */
export async function totpCode(secret: string): Promise<string> {
  const left = TOTP_PERIOD_S - ((Date.now() / 1000) % TOTP_PERIOD_S);
  if (left < TOTP_MARGIN_S) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 100));
  return registerSecret(generateSync({ secret }), 'totp');
}

const describeMatch = (match: PageMatch) =>
  Object.entries(match).filter(([, v]) => v).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ');

export class LoginSteps {
  /** The field kinds submitted so far, and each form screen's set of kinds. */
  private readonly submitted = new Set<string>();
  /** The URL at which each script step last ran. */
  private readonly scriptRuns = new Map<number, string>();

  constructor(
    private readonly login: LoginSettings,
    private readonly selectors: ScreenSelectors,
    private readonly script: readonly ScriptStep[],
  ) {}

  /** Fills the fields a login form shows and submits it; fails if the same step came back. */
  async form(ctx: StepContext, shown: FieldKind[]): Promise<void> {
    // What each marked field is typed as (a passcode field may take the password).
    const typedAs = this.typedAs(shown);
    const fields = shown.map((k) => typedAs[k]);
    const step = `${fields.map((k) => FIELDS[k].step).join(' and ')} step`;
    const screenKey = fields.join('+');
    const again = [...fields].reverse().find((k) => k !== 'email' && this.submitted.has(k)) ?? (this.submitted.has(screenKey) ? fields[0] : undefined);
    if (again) {
      const said = await this.errorText(ctx.page);
      throw await ctx.fail(`${step}: the page still shows the ${FIELDS[again].field} field after submit${said ? ` and says "${said}"` : ''}. Check ${fields.map((k) => FIELDS[k].variable).join(' and ')}.`);
    }
    for (const mark of shown) {
      const kind = typedAs[mark];
      await this.field(ctx.page.locator(fieldSelector(mark))).fill(await this.valueFor(ctx, kind, step));
      this.submitted.add(kind);
    }
    this.submitted.add(screenKey);
    const submit = this.field(ctx.page.locator(this.selectors.submit));
    await ctx.settle(async () => {
      if (await submit.count()) await submit.click();
      else await ctx.page.locator(fieldSelector(shown.at(-1)!)).last().press('Enter');
    });
  }

  /** Runs one step of the login script; fails if it does not move the page on. */
  async scriptStep(ctx: StepContext, index: number): Promise<void> {
    const step = this.script[index];
    const name = `"${step.name}" step (PLEO_LOGIN_SCRIPT step ${index + 1})`;
    const url = ctx.page.url();
    if (this.scriptRuns.get(index) === url) throw await ctx.fail(`${name}: the page still matches its "when" (${describeMatch(step.when)}) after the step ran`);
    this.scriptRuns.set(index, url);
    for (const [i, fill] of step.fill.entries()) {
      const target = fill.label ? ctx.page.getByLabel(new RegExp(fill.label, 'i')) : ctx.page.locator(fill.selector!);
      const value = await this.scriptValue(fill.value);
      await this.field(target).fill(value, { timeout: 5_000 }).catch(async () => {
        throw await ctx.fail(`${name}: fill ${i + 1} found no visible field ${fill.label ? `labelled /${fill.label}/` : `matching ${fill.selector}`}`);
      });
    }
    const act = async () => {
      if (!step.click) return;
      const target = step.click.button ? ctx.page.getByRole('button', { name: new RegExp(step.click.button, 'i') }) : ctx.page.locator(step.click.selector!);
      await this.field(target).click({ timeout: 5_000 }).catch(async () => {
        throw await ctx.fail(`${name}: found nothing to click ${step.click!.button ? `named /${step.click!.button}/` : `matching ${step.click!.selector}`}`);
      });
    };
    if (!step.waitFor) return ctx.settle(act);
    await act();
    if (!(await this.waitFor(ctx, step.waitFor))) {
      throw await ctx.fail(`${name}: the page did not show ${describeMatch(step.waitFor)} within ${ctx.timeout} ms after the step`);
    }
  }

  /** A passcode-like field with no passcode configured is taken for a password field, if a password is. */
  private typedAs(shown: FieldKind[]): Record<FieldKind, FieldKind> {
    const asPassword = shown.includes('passcode') && !this.login.passcode && Boolean(this.login.password) && !shown.includes('password');
    return { email: 'email', password: 'password', passcode: asPassword ? 'password' : 'passcode', totp: 'totp' };
  }

  private async valueFor(ctx: StepContext, kind: FieldKind, step: string): Promise<string> {
    const value = kind === 'email' ? this.login.email : kind === 'password' ? this.login.password : kind === 'passcode' ? this.login.passcode
      : this.login.totpSecret && (await totpCode(this.login.totpSecret));
    if (value) return value;
    const other = this.login.envName ? `, or save a session with npm run login -- --env ${this.login.envName}` : '';
    throw await ctx.fail(`${step}: the login asks for a ${FIELDS[kind].field}, but ${FIELDS[kind].variable} is not set (set it${other})`);
  }

  /** A script value with its placeholders filled in (the script was validated: every variable it names is set). */
  private async scriptValue(template: string): Promise<string> {
    const values: Record<ScriptVariable, string> = {
      PLEO_LOGIN_EMAIL: this.login.email,
      PLEO_LOGIN_PASSWORD: this.login.password,
      PLEO_LOGIN_PASSCODE: this.login.passcode ?? '',
      TOTP: placeholders(template).includes('TOTP') ? await totpCode(this.login.totpSecret!) : '',
    };
    return substitute(template, (name) => values[name]);
  }

  private async waitFor(ctx: StepContext, match: PageMatch): Promise<boolean> {
    let ended = false;
    void ctx.ended.then(() => (ended = true));
    const deadline = Date.now() + ctx.timeout;
    while (Date.now() < deadline) {
      if (ended || (await pageMatches(ctx.page, match))) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  private field(locator: Locator): Locator {
    return locator.filter({ visible: true }).first();
  }

  private async errorText(page: Page): Promise<string | undefined> {
    const text = await this.field(page.locator(this.selectors.error)).textContent({ timeout: 2_000 }).catch(() => null);
    return text?.replace(/\s+/g, ' ').trim() || undefined;
  }
}
