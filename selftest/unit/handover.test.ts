/**
 * One source of configuration: variables set only in `.env.NAME` reach the preflight's browser,
 * and the checks' worker receives the very object the runner validated (Vitest provide/inject).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { readConfig, type SuiteConfig } from '../../support/config.ts';
import { parseRunnerArgs } from '../../support/run/cli-args.ts';
import { StartupError } from '../../support/run/errors.ts';
import { preflight } from '../../support/run/preflight.ts';
import { progressPrinter } from '../../support/run/progress.ts';
import { startTarget } from '../../support/run/target-env.ts';

const ROOT = resolve(import.meta.dirname, '../..');

let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'conformance-handover-'));
  // Answers everything like a token endpoint that knows the client: enough for the preflight's first steps.
  server = createServer((_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}'));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

/** The runner's own path from `--env NAME` to the config it hands on. */
async function configFor(envFile: string): Promise<SuiteConfig> {
  writeFileSync(join(dir, '.env.probe'), envFile);
  const options = parseRunnerArgs(['--env', 'probe']);
  const target = await startTarget(options, { environment: {}, envDir: dir, projectDir: ROOT, closeAtEnd: () => undefined });
  return readConfig(target.env, { label: target.label, artifactsDir: join(dir, 'reports'), sessionFile: join(dir, 'session.json') });
}

const ENV_FILE = () => [
  `PLEO_AUTH_URL=${url}`, `PLEO_API_URL=${url}`, 'PLEO_CLIENT_ID=probe-client', 'PLEO_CLIENT_SECRET=probe-secret-value',
  'PLEO_REDIRECT_URI=https://client.example/callback', 'PLEO_SCOPES=users:read', 'PLEO_LOGIN_EMAIL=user@example.test',
  'PLEO_LOGIN_PASSWORD=probe-password-value',
].join('\n');

describe('the configuration handover', () => {
  it('a selector set only in .env.NAME reaches the preflight\'s login', async () => {
    const config = await configFor(`${ENV_FILE()}\nPLEO_LOGIN_SUBMIT_SELECTOR=button[[\n`);
    expect(config.browser.selectors.submit).toBe('button[[');
    const lines: string[] = [];
    const preflighted = preflight(config, { progress: progressPrinter((text) => void lines.push(text)) });
    // The preflight's browser itself refused the selector from the file.
    await expect(preflighted).rejects.toThrow(new StartupError('PLEO_LOGIN_SUBMIT_SELECTOR is not a valid CSS selector: "button[["'));
    expect(lines.join('')).toContain('preflight: screen selectors are valid CSS … FAILED');
  }, 60_000);

  it('the checks\' worker receives the object the runner validated, and masks its secrets', async () => {
    const config = await configFor(`${ENV_FILE()}\nPLEO_LOGIN_EMAIL_SELECTOR="#from-the-file"\nPLEO_API_KEY=probe-api-key\n`);
    const vitest = await startVitest('test', [], {
      root: ROOT,
      config: false,
      include: ['selftest/unit/probes/inject-config.ts'],
      reporters: [{}], // quiet: the outer test reports
      watch: false,
      provide: { suiteConfig: config },
    });
    const [probe] = vitest.state.getTestModules().flatMap((module) => [...module.children.allTests()]);
    expect(probe.result().state).toBe('passed');
    const meta = probe.meta() as { received?: SuiteConfig; clientSecretShownAs?: string };
    expect(meta.received).toEqual(config);
    expect(meta.received?.browser.selectors.email).toBe('#from-the-file');
    expect(meta.clientSecretShownAs).toBe('[REDACTED:client_secret]');
  }, 60_000);
});
