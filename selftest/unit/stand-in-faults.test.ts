/**
 * Each of the stand-in's newer faults really breaks its behaviour: the same probe over HTTP sees
 * the broken behaviour with the fault on and the right one on a clean stand-in. (Whether the suite
 * notices is the self-test's job.)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FAULTS } from '../../fixtures/stand-in/faults.ts';
import { startStandIn, type StandIn } from '../../fixtures/stand-in/index.ts';
import { OTHER_TENANT, PLEO_SCOPES } from '../../fixtures/stand-in/profile.ts';
import { apiKey, basic, StandInClient, type Reply } from './stand-in-http.ts';

const oauthError = (reply: Reply) => ({ status: reply.status, error: reply.json?.error });

/** The auth oracle: a random code with these credentials; invalid_grant means they authenticated. */
const oracle = (c: StandInClient, authorization: string) =>
  c.token({ grant_type: 'authorization_code', code: randomBytes(32).toString('base64url'), redirect_uri: c.env.PLEO_REDIRECT_URI }, authorization);

const mainSecret = (c: StandInClient) => c.env.PLEO_CLIENT_SECRET;
const swapCase = (text: string) => [...text].map((ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase())).join('');

async function afterRefresh(c: StandInClient) {
  const first = await c.tokens();
  const refreshed = await c.refresh(first.refresh_token);
  return { first, refreshed };
}

interface Case {
  probe(c: StandInClient): Promise<unknown>;
  clean: unknown;
  broken: unknown;
}

const CASES: Record<string, Case> = {
  'tenant-read-by-id-unscoped': {
    probe: async (c) => (await c.api(`/v2/employees/${OTHER_TENANT.employees[0].id}`, apiKey(c.env.PLEO_API_KEY))).status,
    clean: 404,
    broken: 200,
  },
  'tenant-list-filter-unscoped': {
    probe: async (c) => ((await c.api(`/v2/employees?companyId=${OTHER_TENANT.companyId}`, apiKey(c.env.PLEO_API_KEY))).json?.data as unknown[]).length,
    clean: 0,
    broken: OTHER_TENANT.employees.length,
  },
  'auth-throttle-never-lifts': {
    async probe(c) {
      const { PLEO_THROWAWAY_CLIENT_ID: id, PLEO_THROWAWAY_CLIENT_SECRET: secret } = c.env;
      for (let i = 0; i < 10; i++) await oracle(c, basic(id, 'wrong'));
      await new Promise((resolve) => setTimeout(resolve, 2_200)); // past Retry-After: 2
      return oauthError(await oracle(c, basic(id, secret)));
    },
    clean: { status: 400, error: 'invalid_grant' },
    broken: { status: 429, error: 'too_many_requests' },
  },
  'pkce-verifier-truncated': {
    async probe(c) {
      const authorization = await c.authorize();
      return oauthError(await c.exchange(authorization, { code_verifier: `${authorization.verifier}WRONG` }));
    },
    clean: { status: 400, error: 'invalid_grant' },
    broken: { status: 200, error: undefined },
  },
  'pkce-challenge-accepted-as-verifier': {
    async probe(c) {
      const authorization = await c.authorize();
      return oauthError(await c.exchange(authorization, { code_verifier: authorization.challenge }));
    },
    clean: { status: 400, error: 'invalid_grant' },
    broken: { status: 200, error: undefined },
  },
  'pkce-empty-verifier-accepted': {
    async probe(c) {
      const empty = await c.exchange(await c.authorize(), { code_verifier: '' });
      const absent = await c.token({ grant_type: 'authorization_code', code: (await c.authorize()).code!, redirect_uri: c.env.PLEO_REDIRECT_URI });
      return { empty: oauthError(empty), absent: oauthError(absent) };
    },
    clean: { empty: { status: 400, error: 'invalid_grant' }, absent: { status: 400, error: 'invalid_grant' } },
    broken: { empty: { status: 200, error: undefined }, absent: { status: 400, error: 'invalid_grant' } },
  },
  'pkce-s256-padded': {
    probe: async (c) => oauthError(await c.exchange(await c.authorize())),
    clean: { status: 200, error: undefined },
    broken: { status: 400, error: 'invalid_grant' },
  },
  'code-consumed-late': {
    async probe(c) {
      const authorization = await c.authorize();
      const statuses = [(await c.exchange(authorization)).status, (await c.exchange(authorization)).status];
      await new Promise((resolve) => setTimeout(resolve, 2100));
      return [...statuses, (await c.exchange(authorization)).status];
    },
    clean: [200, 400, 400],
    broken: [200, 200, 400],
  },
  'token-response-text-plain': {
    async probe(c) {
      const response = await c.exchange(await c.authorize());
      return { status: response.status, type: response.headers.get('content-type'), json: response.json !== undefined };
    },
    clean: { status: 200, type: 'application/json; charset=utf-8', json: true },
    broken: { status: 200, type: 'text/plain; charset=utf-8', json: true },
  },
  'scope-as-array': {
    probe: async (c) => (await c.tokens()).scope,
    clean: 'users:read test:test',
    broken: ['users:read', 'test:test'],
  },
  'cache-control-no-cache': {
    async probe(c) {
      const [success, error] = [await c.exchange(await c.authorize()), await oracle(c, basic(c.env.PLEO_CLIENT_ID, 'wrong'))];
      return [success, error].map((r) => [r.headers.get('cache-control'), r.headers.get('pragma')]);
    },
    clean: [['no-store', 'no-cache'], ['no-store', 'no-cache']],
    broken: [['no-cache, private', 'no-cache'], ['no-cache, private', 'no-cache']],
  },
  'pragma-missing': {
    async probe(c) {
      const response = await c.exchange(await c.authorize());
      return [response.headers.get('cache-control'), response.headers.get('pragma')];
    },
    clean: ['no-store', 'no-cache'],
    broken: ['no-store', null],
  },
  'secret-prefix-compared': {
    probe: async (c) => oauthError(await oracle(c, basic(c.env.PLEO_CLIENT_ID, `${mainSecret(c).slice(0, 8)}-not-the-rest`))),
    clean: { status: 401, error: 'invalid_client' },
    broken: { status: 400, error: 'invalid_grant' },
  },
  'secret-case-insensitive': {
    probe: async (c) => oauthError(await oracle(c, basic(c.env.PLEO_CLIENT_ID, swapCase(mainSecret(c))))),
    clean: { status: 401, error: 'invalid_client' },
    broken: { status: 400, error: 'invalid_grant' },
  },
  'empty-secret-accepted': {
    probe: async (c) => oauthError(await oracle(c, basic(c.env.PLEO_CLIENT_ID, ''))),
    clean: { status: 400, error: 'invalid_request' },
    broken: { status: 400, error: 'invalid_grant' },
  },
  'invalid-client-400': {
    probe: async (c) => oauthError(await oracle(c, basic(c.env.PLEO_CLIENT_ID, 'wrong'))),
    clean: { status: 401, error: 'invalid_client' },
    broken: { status: 400, error: 'invalid_client' },
  },
  'invalid-client-realm-missing': {
    async probe(c) {
      const challenge = (await oracle(c, basic(c.env.PLEO_CLIENT_ID, 'wrong'))).headers.get('www-authenticate') ?? '';
      return { basic: challenge.startsWith('Basic '), realm: challenge.includes('realm=') };
    },
    clean: { basic: true, realm: true },
    broken: { basic: true, realm: false },
  },
  'invalid-client-enumerable': {
    async probe(c) {
      const [unknown, wrong] = [await oracle(c, basic(randomUUID(), 'wrong')), await oracle(c, basic(c.env.PLEO_CLIENT_ID, 'wrong'))];
      return [oauthError(unknown), oauthError(wrong)];
    },
    clean: [{ status: 401, error: 'invalid_client' }, { status: 401, error: 'invalid_client' }],
    broken: [{ status: 400, error: 'invalid_client' }, { status: 401, error: 'invalid_client' }],
  },
  'basic-plus-not-space': {
    async probe(c) {
      // The main secret holds a space: form-urlencoded, it travels as "+"; percent-encoded, as "%20".
      const percentEncoded = `Basic ${Buffer.from(`${c.env.PLEO_CLIENT_ID}:${encodeURIComponent(mainSecret(c))}`).toString('base64')}`;
      return [oauthError(await oracle(c, basic(c.env.PLEO_CLIENT_ID, mainSecret(c)))), oauthError(await oracle(c, percentEncoded))];
    },
    clean: [{ status: 400, error: 'invalid_grant' }, { status: 400, error: 'invalid_grant' }],
    broken: [{ status: 401, error: 'invalid_client' }, { status: 400, error: 'invalid_grant' }],
  },
  'api-key-prefix-compared': {
    probe: async (c) => (await c.api('/v1/introspect', apiKey(`${c.env.PLEO_API_KEY.slice(0, 12)}${'x'.repeat(20)}`))).status,
    clean: 401,
    broken: 200,
  },
  'api-key-case-insensitive': {
    probe: async (c) => (await c.api('/v1/introspect', apiKey(swapCase(c.env.PLEO_API_KEY)))).status,
    clean: 401,
    broken: 200,
  },
  'api-key-revoked-403': {
    probe: async (c) => (await c.api('/v1/introspect', apiKey(c.env.PLEO_API_KEY_REVOKED))).status,
    clean: 401,
    broken: 403,
  },
  'bearer-scheme-uppercase-rejected': {
    async probe(c) {
      const token = (await c.tokens()).access_token;
      return Promise.all(['Bearer', 'bearer', 'BEARER'].map(async (scheme) => (await c.api('/v1/introspect', c.bearer(token, scheme))).status));
    },
    clean: [200, 200, 200],
    broken: [200, 200, 401],
  },
  'bearer-error-without-credentials': {
    probe: async (c) => (await c.api('/v1/introspect')).headers.get('www-authenticate'),
    clean: 'Bearer realm="pleo", Basic realm="pleo", charset="UTF-8"',
    broken: 'Bearer realm="pleo", error="invalid_token", Basic realm="pleo", charset="UTF-8"',
  },
  'rotation-drops-refresh-token': {
    async probe(c) {
      const { first, refreshed } = await afterRefresh(c);
      return { status: refreshed.status, refreshToken: typeof refreshed.json?.refresh_token, old: oauthError(await c.refresh(first.refresh_token)) };
    },
    clean: { status: 200, refreshToken: 'string', old: { status: 400, error: 'invalid_grant' } },
    broken: { status: 200, refreshToken: 'undefined', old: { status: 400, error: 'invalid_grant' } },
  },
  'reuse-detection-keeps-access': {
    async probe(c) {
      const { first, refreshed } = await afterRefresh(c);
      const replay = await c.refresh(first.refresh_token);
      return {
        replay: oauthError(replay),
        successorRefresh: oauthError(await c.refresh(refreshed.json?.refresh_token)),
        successorAccess: (await c.api('/v1/introspect', c.bearer(refreshed.json?.access_token))).status,
      };
    },
    clean: { replay: { status: 400, error: 'invalid_grant' }, successorRefresh: { status: 400, error: 'invalid_grant' }, successorAccess: 401 },
    broken: { replay: { status: 400, error: 'invalid_grant' }, successorRefresh: { status: 400, error: 'invalid_grant' }, successorAccess: 200 },
  },
  'state-truncated': {
    async probe(c) {
      const state = randomBytes(32).toString('base64url');
      const echoed = (await c.authorize({ state })).redirect?.searchParams.get('state');
      return echoed === state ? 'exact' : echoed === state.slice(0, 32) ? 'first 32 characters' : echoed;
    },
    clean: 'exact',
    broken: 'first 32 characters',
  },
  'iss-mismatch': {
    async probe(c) {
      const iss = (await c.authorize()).redirect?.searchParams.get('iss');
      return iss === c.env.PLEO_AUTH_URL ? 'the issuer' : iss && 'another iss';
    },
    clean: 'the issuer',
    broken: 'another iss',
  },
  'deny-wrong-error': {
    probe: async (c) => (await c.authorize({ decision: 'deny' })).redirect?.searchParams.get('error'),
    clean: 'access_denied',
    broken: 'unauthorized_client',
  },
  'deny-drops-state': {
    async probe(c) {
      const [denied, allowed] = [await c.authorize({ decision: 'deny' }), await c.authorize()];
      return [denied, allowed].map((flow) => flow.redirect?.searchParams.has('state'));
    },
    clean: [true, true],
    broken: [false, true],
  },
  'unknown-scope-dropped-silently': {
    async probe(c) {
      const flow = await c.authorize({ scope: 'users:read no-such:scope' });
      if (!flow.code) return flow.redirect?.searchParams.get('error');
      const tokens = await c.exchange(flow);
      return { status: tokens.status, scope: tokens.json?.scope };
    },
    clean: 'invalid_scope',
    broken: { status: 200, scope: undefined },
  },
  'scope-over-granted': {
    async probe(c) {
      const { scope, access_token: token } = await c.tokens({ scope: 'test:test' });
      return { allScopes: String(scope).split(' ').length === PLEO_SCOPES.length, employees: (await c.api('/v2/employees', c.bearer(token))).status };
    },
    clean: { allScopes: false, employees: 403 },
    broken: { allScopes: true, employees: 200 },
  },
  'insufficient-scope-401': {
    async probe(c) {
      const response = await c.api('/v2/employees', c.bearer((await c.tokens({ scope: 'test:test' })).access_token));
      return { status: response.status, challenge: /error="(\w+)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1] };
    },
    clean: { status: 403, challenge: 'insufficient_scope' },
    broken: { status: 401, challenge: 'invalid_token' },
  },
};

let clean: StandIn;
beforeAll(async () => {
  clean = await startStandIn();
});
afterAll(() => clean.close());

describe('each fault manifests over HTTP', () => {
  test.each(Object.keys(CASES))('%s', async (fault) => {
    expect(FAULTS[fault], `${fault} is a fault`).toBeDefined();
    const { probe, clean: right, broken } = CASES[fault];
    expect(await probe(new StandInClient(clean)), 'the clean stand-in').toEqual(right);
    const faulty = await startStandIn({ faults: [fault] });
    try {
      expect(await probe(new StandInClient(faulty)), `with ${fault}`).toEqual(broken);
    } finally {
      await faulty.close();
    }
  }, 15_000);
});

describe('faults compose', () => {
  test('PKCE faults stack: a missing verifier passes while the right one fails', async () => {
    const standIn = await startStandIn({ faults: ['pkce-verifier-optional', 'pkce-s256-padded'] });
    try {
      const c = new StandInClient(standIn);
      const missing = await c.token({ grant_type: 'authorization_code', code: (await c.authorize()).code!, redirect_uri: c.env.PLEO_REDIRECT_URI });
      expect(oauthError(missing)).toEqual({ status: 200, error: undefined });
      expect(oauthError(await c.exchange(await c.authorize()))).toEqual({ status: 400, error: 'invalid_grant' });
    } finally {
      await standIn.close();
    }
  });

  test('a fault works with the long-tokens mode on', async () => {
    const standIn = await startStandIn({ faults: ['code-reusable'], modes: ['long-tokens'] });
    try {
      const c = new StandInClient(standIn);
      const flow = await c.authorize();
      expect(flow.code!.length).toBeGreaterThan(900);
      expect([(await c.exchange(flow)).status, (await c.exchange(flow)).status]).toEqual([200, 200]);
    } finally {
      await standIn.close();
    }
  });
});
