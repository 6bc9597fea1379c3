/**
 * A minimal HTTP client of the stand-in for its unit tests: the code flow through the login and
 * consent forms (no browser: the forms are plain HTML), the token endpoint and the API.
 */
import { hash, randomBytes } from 'node:crypto';
import { generateSync } from 'otplib';
import type { StandIn } from '../../fixtures/stand-in/index.ts';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The JSON body, whatever the media type says; undefined if it is not JSON. */
  json: Record<string, unknown> | undefined;
}

export interface Authorization {
  /** The redirect to the client, or undefined when the flow ended elsewhere (an error page). */
  redirect?: URL;
  code?: string;
  verifier: string;
  challenge: string;
  consentShown: boolean;
  /** The status of the login form's POST, when a login was asked. */
  loginStatus?: number;
}

export interface AuthorizeOptions {
  scope?: string;
  state?: string;
  prompt?: string;
  decision?: 'allow' | 'deny';
  clientId?: string;
}

export const randomVerifier = () => randomBytes(32).toString('base64url');
export const s256 = (verifier: string) => hash('sha256', verifier, 'base64url');
/** RFC 6749 §2.3.1: id and secret form-urlencoded (a space becomes +), then Basic. */
const formEncoded = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${formEncoded(id)}:${formEncoded(secret)}`).toString('base64')}`;

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

const hiddenCsrf = (html: string) => /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';

/** One user agent: its own cookie jar, so one login session. */
export class StandInClient {
  readonly #cookies = new Map<string, string>();

  constructor(readonly standIn: StandIn) {}

  get env(): Record<string, string> {
    return this.standIn.env;
  }

  async #browse(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }

  /** The code flow with S256 PKCE: logs in if asked, answers the consent screen if shown. */
  async authorize(options: AuthorizeOptions = {}): Promise<Authorization> {
    const verifier = randomVerifier();
    const challenge = s256(verifier);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: options.clientId ?? this.env.PLEO_CLIENT_ID,
      redirect_uri: this.env.PLEO_REDIRECT_URI,
      scope: options.scope ?? this.env.PLEO_SCOPES,
      state: options.state ?? randomBytes(32).toString('base64url'),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...(options.prompt ? { prompt: options.prompt } : {}),
    });
    const result: Authorization = { verifier, challenge, consentShown: false };
    let response = await this.#browse(`${this.env.PLEO_AUTH_URL}${this.env.PLEO_AUTHORIZE_PATH}?${query}`);
    for (let hop = 0; hop < 12; hop++) {
      const location = response.headers.get('location');
      if (location?.startsWith(this.env.PLEO_REDIRECT_URI)) {
        result.redirect = new URL(location);
        result.code = result.redirect.searchParams.get('code') ?? undefined;
        return result;
      }
      if (location) {
        response = await this.#browse(new URL(location, this.env.PLEO_AUTH_URL).href);
        continue;
      }
      const html = await response.text();
      const form = new URLSearchParams({ csrf: hiddenCsrf(html) });
      const step = /name="step" value="(\w+)"/.exec(html)?.[1];
      if (step) {
        // The pleo-login mode: email, then passcode, then TOTP, one page each.
        form.set('step', step);
        if (step === 'email') form.set('email', this.env.PLEO_LOGIN_EMAIL);
        if (step === 'passcode') form.set('passcode', this.env.PLEO_LOGIN_PASSCODE);
        if (step === 'totp') form.set('otp', generateSync({ secret: this.env.PLEO_LOGIN_TOTP_SECRET }));
      } else if (html.includes('name="password"')) {
        form.set('email', this.env.PLEO_LOGIN_EMAIL);
        form.set('password', this.env.PLEO_LOGIN_PASSWORD);
      } else if (html.includes('name="decision"')) {
        result.consentShown = true;
        form.set('decision', options.decision ?? 'allow');
      } else {
        return result; // an error page
      }
      response = await this.#browse(response.url, {
        method: 'POST', body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      if (form.has('password') || form.has('otp')) result.loginStatus = response.status;
    }
    throw new Error('too many hops in the authorization flow');
  }

  /** A token request with the main client's Basic credentials unless an Authorization value is given. */
  async token(params: Record<string, string>, authorization = basic(this.env.PLEO_CLIENT_ID, this.env.PLEO_CLIENT_SECRET)): Promise<Reply> {
    return reply(await fetch(`${this.env.PLEO_AUTH_URL}${this.env.PLEO_TOKEN_PATH}`, {
      method: 'POST',
      body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    }));
  }

  exchange(authorization: Authorization, extra: Record<string, string> = {}, credentials?: string): Promise<Reply> {
    return this.token({
      grant_type: 'authorization_code', code: authorization.code ?? '', redirect_uri: this.env.PLEO_REDIRECT_URI, code_verifier: authorization.verifier, ...extra,
    }, credentials);
  }

  /** Authorizes and redeems the code: a fresh token set. */
  async tokens(options: AuthorizeOptions = {}): Promise<Record<string, unknown>> {
    const response = await this.exchange(await this.authorize(options));
    if (response.status !== 200 || !response.json) throw new Error(`the code exchange failed: ${response.status} ${response.text}`);
    return response.json;
  }

  refresh(refreshToken: unknown): Promise<Reply> {
    return this.token({ grant_type: 'refresh_token', refresh_token: String(refreshToken) });
  }

  /** A POST to an endpoint of the authorization server with the main client's credentials. */
  async post(path: string, params: Record<string, string>): Promise<Reply> {
    return reply(await fetch(`${this.env.PLEO_AUTH_URL}${path}`, {
      method: 'POST',
      body: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(this.env.PLEO_CLIENT_ID, this.env.PLEO_CLIENT_SECRET) },
    }));
  }

  async api(path: string, authorization?: string): Promise<Reply> {
    return reply(await fetch(`${this.env.PLEO_API_URL}${path}`, { headers: authorization ? { authorization } : {} }));
  }

  bearer = (token: unknown, scheme = 'Bearer') => `${scheme} ${String(token)}`;
}

/** The Basic header of an API key (the key as user name, an empty password). */
export const apiKey = (key: string, password = '') => `Basic ${Buffer.from(`${key}:${password}`).toString('base64')}`;
