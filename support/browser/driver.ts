/**
 * The browser leg of the code flow: opens an authorization request in headless Chromium, logs in
 * when asked, answers the consent screen, and captures the redirect to the client's redirect_uri.
 *
 * The redirect is captured without touching the network (see redirect-trap.ts); as a second
 * line of defence the redirect URI's host is also unresolvable in this browser.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type Page, type Response } from 'playwright';
import playwrightConfig from '../../playwright.config.ts';
import { parseAuthorizationRedirect, type AuthorizationOutcome, type AuthorizationRequest } from '../authorization-request.ts';
import type { SuiteConfig } from '../config.ts';
import { redact, redactedExcerpt } from '../secrets.ts';
import { consentButtons, invalidCssSelectors, quickClick, readScreen, screenSelectors, waitForScreen, type Recogniser, type Screen } from './login-page.ts';
import { LoginSteps, type StepContext } from './login-steps.ts';
import { maskedScreenshot } from './masked-screenshot.ts';
import { readConsentForm, type SubmittedForm } from './consent-form.ts';
import { RedirectTrap } from './redirect-trap.ts';
import { RequestLog, type LoggedPage, type LoggedRequest } from './request-log.ts';
import { startTracing, stopTracing } from './tracing.ts';

/** Email, passcode, TOTP and consent take four; a login script may take more. */
const MAX_SCREENS = 12;

export interface AuthorizeOptions {
  decision?: 'allow' | 'deny';
  /** Attach a screenshot of the consent screen to the result. */
  screenshot?: boolean;
  /** Stop as soon as the consent screen (or the redirect) is reached: used to log in only. */
  stopAtConsent?: boolean;
  /** Called for each login or consent screen reached: the request itself was accepted. */
  onScreen?: (screen: Screen) => void;
  /**
   * The browser must already be logged in (a saved session): a login screen ends the flow with a
   * SessionExpiredError instead of being filled in.
   */
  sessionOnly?: boolean;
  /**
   * More origins whose navigation ends the flow like the redirect (AZ-02/AZ-03: an unregistered or
   * foreign redirect URI). The outcome then names the URL the browser was sent to.
   */
  trapOrigins?: readonly string[];
  /** Attach a masked screenshot to an error page (for a person to judge it). */
  errorScreenshot?: boolean;
}

export interface LaunchOptions {
  /** Start with this saved login session (config.browser.sessionFile in the checks' worker). */
  sessionFile?: string;
  /**
   * Let Playwright close the browser and exit on SIGINT/SIGTERM/SIGHUP (its default). The runner
   * and the checks' worker pass false: they end the browser themselves (support/run/lifecycle.ts).
   */
  handleSignals?: boolean;
  /** The name of its trace when the run records traces (config.browser.trace): preflight, checks … */
  traceName?: string;
}

export interface ErrorPage {
  status: number;
  /** The page's visible text, shortened. */
  text: string;
  screenshot?: Buffer;
}

/** One main-frame document response of the flow, redirects included (AZ-09, AZ-10). */
export interface DocumentResponse {
  url: string;
  /** The method of the request it answers: POST for a submitted form. */
  method: string;
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
}

/** What a cross-origin page saw when it framed a URL (RFC 9700 §4.16). */
export interface FramingProbe {
  /** The framed document loaded (not blocked by X-Frame-Options or CSP frame-ancestors). */
  rendered: boolean;
  /** It shows a visible form field or button a framing page could trick a user into using. */
  interactive: boolean;
}

export interface BrowserAuthorization {
  /** undefined when stopAtConsent stopped before the redirect, or the AS showed an error page. */
  outcome?: AuthorizationOutcome;
  /** The authorization server answered with an error page instead of redirecting. */
  errorPage?: ErrorPage;
  consentShown: boolean;
  consentScreenshot?: Buffer;
  /** The main-frame document responses, in order. */
  documents: DocumentResponse[];
  /** Every request of the flow, subresources included, in order (SEC-06). */
  requests: LoggedRequest[];
  /** The HTML pages shown, with their <meta name="referrer"> (SEC-06). */
  pages: LoggedPage[];
}

/** The browser leg could not complete: a setup or target problem, not a verdict. */
export class BrowserFlowError extends Error {
  constructor(message: string, readonly screenshotPath?: string) {
    super(redact(screenshotPath ? `${message}\nScreenshot (form fields masked): ${screenshotPath}` : message));
    this.name = 'BrowserFlowError';
  }
}

export class LoginError extends BrowserFlowError {
  override name = 'LoginError';
}

/** A saved session no longer logs the browser in (sessionOnly). */
export class SessionExpiredError extends BrowserFlowError {
  override name = 'SessionExpiredError';
}

function hostResolverRules(config: SuiteConfig): string[] {
  const host = new URL(config.redirectUri).hostname;
  // Loopback redirect URIs need no rule: nothing is listening, or it is the developer's own app.
  if (isIP(host) || host === 'localhost') return [];
  return [`--host-resolver-rules=MAP ${host} ~NOTFOUND`];
}

/** The certificates Node trusts through NODE_EXTRA_CA_CERTS, trusted by their keys in Chromium too. */
const certificateTrust = (config: SuiteConfig) => (config.browser.trustedKeys?.length ? [`--ignore-certificate-errors-spki-list=${config.browser.trustedKeys.join(',')}`] : []);

/** Chromium's errors for a server that cannot be reached (not ERR_ABORTED: the redirect trap's end of a flow). */
const UNREACHABLE = /net::ERR_(CONNECTION_(REFUSED|RESET|CLOSED|FAILED|TIMED_OUT)|NAME_NOT_RESOLVED|ADDRESS_UNREACHABLE|EMPTY_RESPONSE|TIMED_OUT|(CERT|SSL)_[A-Z_]+)/;

export class ConsentDriver {
  private readonly recogniser: Recogniser;
  private readonly timeout = playwrightConfig.use.navigationTimeout;
  private tab: Promise<{ page: Page; trap: RedirectTrap }> | undefined;

  private constructor(
    private readonly browser: Browser,
    private readonly context: BrowserContext,
    private readonly config: SuiteConfig,
    /** A driver made by withoutSession() closes only its own context. */
    private readonly ownsBrowser = true,
    private readonly traceName = 'browser',
    /**
     * Where the session `npm run login` saved goes back to after each authorization: servers
     * rotate the session cookie when a flow completes (oidc-provider does, against session
     * fixation), and the saved one would stop working after a single run.
     */
    private readonly writeBack?: string,
  ) {
    this.recogniser = { selectors: screenSelectors(config.browser.selectors), script: config.login.script ?? [] };
  }

  private get selectors() {
    return this.recogniser.selectors;
  }

  private get artifactsDir(): string {
    return this.config.browser.artifactsDir;
  }

  static async launch(config: SuiteConfig, options: LaunchOptions = {}): Promise<ConsentDriver> {
    const { launchOptions } = playwrightConfig.use;
    const handleSignals = options.handleSignals ?? true;
    // Bounded like every other step: a browser that does not start (or a server that does not answer) ends the run in seconds.
    const timeout = playwrightConfig.use.navigationTimeout;
    const browser = config.browser.wsEndpoint ? await chromium.connect(config.browser.wsEndpoint, { timeout }) : await chromium.launch({
      ...launchOptions,
      timeout,
      executablePath: config.browser.executablePath,
      headless: !config.browser.headed,
      args: [...launchOptions.args, ...hostResolverRules(config), ...certificateTrust(config)],
      handleSIGINT: handleSignals,
      handleSIGTERM: handleSignals,
      handleSIGHUP: handleSignals,
    });
    const context = await browser.newContext({ storageState: options.sessionFile, bypassCSP: playwrightConfig.use.bypassCSP });
    context.setDefaultTimeout(playwrightConfig.use.actionTimeout);
    const traceName = options.traceName ?? 'browser';
    await startTracing(context, config, traceName);
    return new ConsentDriver(browser, context, config, true, traceName, options.sessionFile && config.login.savedSession);
  }

  /** Which of the named CSS selectors are not valid CSS, checked before any navigation. */
  async invalidSelectors(named: Record<string, string>): Promise<string[]> {
    const { page } = await (this.tab ??= this.openTab());
    return invalidCssSelectors(page, named);
  }

  /** Runs one authorization request through the browser. */
  async authorize(request: AuthorizationRequest, options: AuthorizeOptions = {}): Promise<BrowserAuthorization> {
    // One page for every request: opening a page costs about 100 ms, a navigation a few.
    const { page, trap } = await (this.tab ??= this.openTab());
    const redirectOrigin = new URL(request.redirectUri).origin;
    let redirectedTo: string | undefined;
    let errorStatus: number | undefined;
    let settle!: () => void;
    const ended = new Promise<void>((resolve) => (settle = resolve));
    await trap.arm([redirectOrigin, ...(options.trapOrigins ?? [])], (url) => {
      redirectedTo = url;
      settle();
    });
    const documents: DocumentResponse[] = [];
    // An error status on the main document (an invalid request, say) ends the flow at once.
    const onResponse = (r: Response) => {
      if (!r.request().isNavigationRequest() || r.frame() !== page.mainFrame()) return;
      documents.push({ url: r.url(), method: r.request().method(), status: r.status(), headers: r.headers() });
      if (r.status() >= 400) {
        errorStatus = r.status();
        settle();
      }
    };
    page.on('response', onResponse);
    const screens = consentButtons(page, this.selectors);
    const log = new RequestLog(page);
    const result: BrowserAuthorization = { consentShown: false, documents, requests: log.requests, pages: log.pages };
    const login = new LoginSteps(this.config.login, this.selectors, this.recogniser.script);
    const steps: StepContext = {
      page,
      ended,
      timeout: this.timeout,
      settle: (action) => this.actAndSettle(page, ended, action),
      fail: async (message) => new LoginError(message, await this.failureScreenshot(page, 'login-failure')),
    };
    try {
      // Waiting for the document first spares the locators their polling back-off.
      const opened = this.open(page, request.url);
      // Handled here too: once the flow has ended, nothing else awaits it.
      opened.catch(() => undefined);
      await Promise.race([ended, opened]);
      for (let step = 0; step < MAX_SCREENS; step++) {
        if (redirectedTo) {
          if (this.writeBack) await this.saveSession(this.writeBack);
          return { ...result, outcome: parseAuthorizationRedirect(redirectedTo, result.consentShown) };
        }
        if (errorStatus) return { ...result, errorPage: await this.errorPage(page, errorStatus, options.errorScreenshot) };
        const screen = await waitForScreen(page, this.recogniser, this.timeout, ended);
        if (redirectedTo || errorStatus) continue;
        if (screen === undefined) {
          throw new BrowserFlowError(`The authorization request neither redirected to ${redirectOrigin} nor showed a login or consent screen within ${this.timeout} ms (stopped at ${page.url()})`, await this.failureScreenshot(page, 'authorization-stuck'));
        }
        options.onScreen?.(screen);
        if (screen.kind === 'consent') {
          result.consentShown = true;
          if (options.stopAtConsent) return result;
          // Evidence for a reader, not a verdict: a screenshot that times out (a loaded machine) must not fail the flow.
          if (options.screenshot) result.consentScreenshot = await maskedScreenshot(page).catch(() => undefined);
          const [name, button] = options.decision === 'deny' ? [this.selectors.deny, screens.deny] : [this.selectors.allow, screens.allow];
          await this.actAndSettle(page, ended, async () => {
            if (!(await quickClick(page, name))) await button.click();
          });
        } else if (options.sessionOnly && screen.kind === 'login') {
          throw new SessionExpiredError(`the authorization server asked to log in again (at ${new URL(page.url()).origin})`);
        } else if (screen.kind === 'script') {
          await login.scriptStep(steps, screen.step);
        } else {
          await login.form(steps, screen.fields);
        }
      }
      throw new BrowserFlowError(`The authorization flow did not end after ${MAX_SCREENS} screens (at ${page.url()})`, await this.failureScreenshot(page, 'authorization-loop'));
    } catch (error) {
      // After anything unexpected, the next request starts on a new page.
      this.tab = undefined;
      void page.close().catch(() => undefined);
      throw error;
    } finally {
      trap.disarm();
      page.off('response', onResponse);
      await log.detach();
    }
  }

  private async openTab(): Promise<{ page: Page; trap: RedirectTrap }> {
    const page = await this.context.newPage();
    return { page, trap: await RedirectTrap.attach(page) };
  }

  /** Logs in through a real authorization request, stopping at the consent screen (no code is issued). */
  async logIn(request: AuthorizationRequest, options: Pick<AuthorizeOptions, 'onScreen' | 'sessionOnly'> = {}): Promise<BrowserAuthorization> {
    return this.authorize(request, { ...options, stopAtConsent: true });
  }

  /**
   * For a person at a headed browser (npm run login): opens the authorization request and waits
   * until they have logged in, whatever it takes (SSO, SMS, CAPTCHA): the consent screen shows, or
   * the server sends the browser back to the client. Nothing is approved.
   */
  async waitForLogin(request: AuthorizationRequest, timeoutMs: number): Promise<void> {
    const { page, trap } = await (this.tab ??= this.openTab());
    let loggedIn!: () => void;
    const done = new Promise<void>((resolve) => (loggedIn = resolve));
    await trap.arm(new URL(request.redirectUri).origin, () => loggedIn());
    let closed = false;
    page.once('close', () => (closed = true));
    await page.goto(request.url, { waitUntil: 'domcontentloaded' }).catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      if (closed) throw new BrowserFlowError('the browser window was closed before the login finished');
      if (Date.now() > deadline) throw new BrowserFlowError(`no consent screen showed within ${Math.round(timeoutMs / 60_000)} minutes (stopped at ${new URL(page.url()).origin})`);
      if ((await readScreen(page, this.recogniser))?.kind === 'consent') return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Saves the login session (cookies) for reuse by other processes; the file is readable by its owner only. */
  async saveSession(path: string): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(await this.context.storageState()), { mode: 0o600 });
    chmodSync(path, 0o600);
  }

  async close(): Promise<void> {
    await stopTracing(this.context);
    await (this.ownsBrowser ? this.browser.close() : this.context.close()).catch(() => undefined);
  }

  /** The consent form the last flow stopped at (stopAtConsent), as its Allow button submits it (SEC-07). */
  async consentForm(): Promise<SubmittedForm | undefined> {
    const tab = await this.tab;
    return tab && readConsentForm(tab.page, this.config.browser.selectors.allow);
  }

  /** HTTP requests that carry this driver's cookies, as its pages would send them (SEC-07). */
  get http(): APIRequestContext {
    return this.context.request;
  }

  /** A driver in the same browser with no login session: its flows show the login form. */
  async withoutSession(): Promise<ConsentDriver> {
    const context = await this.browser.newContext({ bypassCSP: playwrightConfig.use.bypassCSP });
    context.setDefaultTimeout(playwrightConfig.use.actionTimeout);
    const traceName = `${this.traceName}-without-session`;
    await startTracing(context, this.config, traceName);
    return new ConsentDriver(this.browser, context, this.config, false, traceName);
  }

  /**
   * Frames `url` in a page of another origin, in a context that enforces CSP (the driver's own
   * contexts bypass it), and reports whether the framed document rendered and can be used.
   */
  async framingProbe(url: string): Promise<FramingProbe> {
    // The framing page is served from loopback: a page Chromium fulfils itself counts as public,
    // and Chromium blocks public pages from framing a local server such as the stand-in.
    const framer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(`<iframe src="${url.replace(/"/g, '&quot;')}" width="800" height="600"></iframe>`));
    await new Promise<void>((resolve) => framer.listen(0, '127.0.0.1', resolve));
    const context = await this.browser.newContext({ bypassCSP: false });
    await startTracing(context, this.config, `${this.traceName}-framing-probe`);
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${(framer.address() as AddressInfo).port}/`, { waitUntil: 'load', timeout: this.timeout }).catch(() => undefined);
      const frame = page.frames().find((f) => f !== page.mainFrame());
      await frame?.waitForLoadState('domcontentloaded', { timeout: this.timeout }).catch(() => undefined);
      const loaded = frame !== undefined && /^https?:/.test(frame.url());
      const rendered = loaded && (await frame.locator('body').innerText({ timeout: 2_000 }).catch(() => '')).trim() !== '';
      // Waited for, not counted: on a busy machine the framed form may still be laying out.
      const usable = frame?.locator('input:visible, button:visible').first();
      const interactive = rendered && (await usable!.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false));
      return { rendered, interactive };
    } finally {
      await stopTracing(context);
      await context.close().catch(() => undefined);
      framer.close();
    }
  }

  /**
   * Opens the authorization request. A navigation the redirect trap ends (the server redirected
   * straight to the client) rejects harmlessly; a server that cannot be reached fails the flow at
   * once, after one more try (as a refused request is retried over HTTP), instead of waiting out
   * the screen timeout for a page that will never come.
   */
  private async open(page: Page, url: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const failure = await page.goto(url, { waitUntil: 'domcontentloaded' }).then(() => undefined, (error: Error) => UNREACHABLE.exec(error.message)?.[0]);
      if (!failure) return;
      if (attempt === 2) throw new BrowserFlowError(`The browser could not reach ${new URL(url).origin}: ${failure}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Performs an action and waits until the page navigated or the redirect was captured. */
  private async actAndSettle(page: Page, ended: Promise<void>, action: () => Promise<void>): Promise<void> {
    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: this.timeout }).catch(() => undefined);
    await action();
    await Promise.race([ended, navigated.then(() => page.waitForLoadState('domcontentloaded').catch(() => undefined))]);
  }

  private async errorPage(page: Page, status: number, screenshot = false): Promise<ErrorPage> {
    await page.waitForLoadState('domcontentloaded').catch(() => undefined);
    const text = (await page.locator('body').innerText({ timeout: 2_000 }).catch(() => '')).replace(/\s+/g, ' ').trim();
    return { status, text: redactedExcerpt(text, 500), ...(screenshot && { screenshot: await maskedScreenshot(page).catch(() => undefined) }) };
  }


  private async failureScreenshot(page: Page, name: string): Promise<string | undefined> {
    try {
      const path = join(this.artifactsDir, `${name}.png`);
      mkdirSync(this.artifactsDir, { recursive: true });
      writeFileSync(path, await maskedScreenshot(page));
      return path;
    } catch {
      return undefined;
    }
  }
}
