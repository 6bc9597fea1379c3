import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shapeOf } from '../../support/body-shape.ts';
import { takeEvidence } from '../../support/evidence.ts';
import { bodyEvidence, configureHttp, send, type Exchange } from '../../support/http.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';
import { CheckFailure, demand, describeResponse, expectSuccessfulTokenResponse } from '../../support/verdicts.ts';
import { jwtSizedToken, survivingFragment } from './redaction-helpers.ts';
import { thrown } from './thrown.ts';

const EMPLOYEES = {
  data: [
    { id: 'e1', firstName: 'Astrid', lastName: 'Holm', email: 'astrid.holm@stand-in.example', role: 'owner' },
    { id: 'e2', firstName: 'Bo', lastName: 'Nyberg', email: 'bo.nyberg@stand-in.example', role: 'bookkeeper' },
  ],
  pagination: { hasNextPage: false, total: 2 },
};
const PERSONAL = ['Astrid', 'Holm', 'Nyberg', 'astrid.holm', 'bo.nyberg'];

function exchange(body: unknown, evidence?: 'full' | 'shape', status = 200): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = typeof body === 'string' ? 'text/html' : 'application/json';
  return {
    request: { method: 'GET', url: 'https://api.test/v2/employees', headers: {} },
    response: { status, headers: { 'content-type': contentType }, text, json: typeof body === 'string' ? undefined : body, contentType },
    evidence,
  };
}

beforeEach(() => clearSecretsForTesting());

describe('shapeOf', () => {
  it('shows keys, JSON types and array counts, not values', () => {
    expect(shapeOf(EMPLOYEES)).toBe(
      '{ data: [2 × { id: string, firstName: string, lastName: string, email: string, role: string }], pagination: { hasNextPage: boolean, total: number } }',
    );
  });

  it('keeps the values of protocol vocabulary, at any depth', () => {
    expect(shapeOf({ error: 'insufficient_scope', message: 'needs users:read', data: { authMethod: 'OAUTH2', scope: 'a b', status: 'ACTIVE', clientId: 'c1' } }))
      .toBe('{ error: "insufficient_scope", message: string, data: { authMethod: "OAUTH2", scope: "a b", status: "ACTIVE", clientId: string } }');
    expect(shapeOf({ error_description: 'bad', error_uri: 'https://x', scope: ['a'] })).toBe('{ error_description: "bad", error_uri: "https://x", scope: [1 × string] }');
  });

  it.each([
    [null, 'null'], [[], '[]'], [{}, '{}'], [3, 'number'], ['x', 'string'], [true, 'boolean'],
    [[1, 'a', 2], '[3 × (number | string)]'], [{ 'odd key': 1, ok_1: null }, '{ "odd key": number, ok_1: null }'],
  ])('%j → %s', (value, shape) => {
    expect(shapeOf(value)).toBe(shape);
  });
});

describe('bodyEvidence and describeResponse', () => {
  it('shows a resource-API body by its shape, in failures too', () => {
    const shaped = exchange(EMPLOYEES, 'shape');
    expect(bodyEvidence(shaped)).toBe(shapeOf(EMPLOYEES));
    const described = describeResponse(shaped);
    expect(described).toMatch(/^HTTP 200 \{ data: \[2 × \{ id: string/);
    for (const value of PERSONAL) expect(described).not.toContain(value);
  });

  it('describes a non-JSON API body by its length and type only', () => {
    expect(bodyEvidence(exchange('<p>Astrid Holm</p>', 'shape'))).toBe('(18 characters of text/html)');
    expect(bodyEvidence(exchange('', 'shape'))).toBe('');
  });

  it('shows other bodies in full, on one line or indented', () => {
    const full = exchange({ error: 'invalid_grant', n: 1 });
    expect(bodyEvidence(full)).toBe('{"error":"invalid_grant","n":1}');
    expect(bodyEvidence(full, 'indented')).toBe('{\n  "error": "invalid_grant",\n  "n": 1\n}');
  });

  it('never shows an e-mail, even in full', () => {
    expect(describeResponse(exchange(EMPLOYEES, 'full'))).not.toContain('@stand-in.example');
  });

  it.each([20, 244, 299, 300, 470, 1000])('leaves no 12-character piece of a 1 KB token cut at %i characters', (length) => {
    const token = registerSecret(jwtSizedToken(), 'access_token');
    const body = { note: token.slice(0, length), token_type: 'Bearer' };
    const described = describeResponse(exchange(body));
    expect(survivingFragment(described, token)).toBeUndefined();
    const failure = thrown(CheckFailure, () => expectSuccessfulTokenResponse(exchange(`<html>${token.slice(0, length)}`, 'full'), () => {}));
    expect(survivingFragment(failure.message, token)).toBeUndefined();
  });

  it('redacts expected and actual values before it quotes or cuts them', () => {
    const token = registerSecret(jwtSizedToken(), 'access_token');
    const failure = thrown(CheckFailure, () => demand(false, 'r', { list: [token.slice(0, 600)] }, `${token.slice(100, 700)} and more`));
    expect(survivingFragment(failure.message, token)).toBeUndefined();
    expect(failure.expected).toBe('{"list":["[REDACTED:access_token]"]}');
  });
});

describe('send(): evidence of resource-API bodies', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(EMPLOYEES)));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/employees`;
  });

  afterAll(async () => {
    configureHttp({ timeoutMs: 10_000 });
    await new Promise((done) => server.close(done));
  });

  it('records the shape only, by default', async () => {
    configureHttp({ timeoutMs: 5_000 });
    const sent = await send({ url, evidence: 'shape' });
    expect(sent.evidence).toBe('shape');
    expect(sent.response.json).toEqual(EMPLOYEES); // the check itself still sees the body
    const [item] = takeEvidence().items;
    expect(item.text).toContain(shapeOf(EMPLOYEES));
    for (const value of PERSONAL) expect(item.text).not.toContain(value);
  });

  it('records the body in full when configured, still without e-mails', async () => {
    configureHttp({ timeoutMs: 5_000, fullApiBodies: true });
    const sent = await send({ url, evidence: 'shape' });
    expect(sent.evidence).toBe('full');
    const [item] = takeEvidence().items;
    expect(item.text).toContain('"firstName": "Astrid"');
    expect(item.text).not.toContain('@stand-in.example');
  });

  it('records other requests in full', async () => {
    configureHttp({ timeoutMs: 5_000 });
    expect((await send({ url })).evidence).toBe('full');
    expect(takeEvidence().items[0].text).toContain('"lastName": "Holm"');
  });
});
