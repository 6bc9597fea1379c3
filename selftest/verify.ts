/**
 * `npm run verify` end to end, against a stand-in started here and described by an env file as a
 * remote target would be: a clean stand-in is ready (exit 0) with every registered redirect URI
 * and scope accepted, and both reports hold none of its secrets; a fault that breaks a MUST makes
 * it not ready (exit 1), naming the check that caught it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStandIn } from '../fixtures/stand-in/index.ts';
import client from '../fixtures/data/client.json' with { type: 'json' };
import type { Verification } from '../support/verify/report.ts';
import { envFile, runTsx } from './child-run.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** A full run of the suite and its probes: minutes at most, even on a loaded machine. */
const LIMIT_S = 300;

interface Case {
  name: string;
  faults: string[];
  exitCode: number;
  /** What else the report must show. */
  expect: (report: Verification) => string[];
}

const CASES: Case[] = [
  {
    name: 'verify: a clean stand-in is ready',
    faults: [],
    exitCode: 0,
    expect: (v) => [
      ...v.redirectUris.filter((r) => r.accepted.answer !== 'yes').map((r) => `redirect URI ${r.uri}: ${r.accepted.answer} (${r.accepted.how})`),
      ...v.scopes.filter((s) => s.granted.answer !== 'yes').map((s) => `scope ${s.scope} not granted: ${s.granted.how}`),
      ...(v.rotation.observed === 'strict rotation' ? [] : [`rotation observed: ${v.rotation.observed}`]),
    ],
  },
  {
    name: 'verify: a MUST the stand-in breaks (code-reusable) makes it not ready',
    faults: ['code-reusable'],
    exitCode: 1,
    expect: (v) => (v.reasons.some((r) => r.startsWith('TK-04 failed')) ? [] : [`no reason names TK-04: ${v.reasons.join('; ')}`]),
  },
];

async function verifyCase(c: Case): Promise<{ name: string; ok: boolean; detail: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pleo-verify-'));
  const standIn = await startStandIn({ faults: c.faults });
  try {
    const env = { ...standIn.env, PLEO_REGISTERED_REDIRECT_URIS: client.redirect_uris.join(' ') };
    writeFileSync(join(dir, '.env.verify-target.local'), envFile(env), { mode: 0o600 });
    const { code, output } = await runTsx([join(ROOT, 'scripts', 'verify.ts'), '--env', 'verify-target', '--out', join(dir, 'out')], { cwd: dir, killAfterS: LIMIT_S });
    const files = ['verification.json', 'verification.md'].map((f) => join(dir, 'out', 'reports', f));
    if (!files.every(existsSync)) return { name: c.name, ok: false, detail: `exit ${code}, no report written\n${output.slice(-1500)}` };
    const [json, md] = files.map((f) => readFileSync(f, 'utf8'));
    const secrets = ['PLEO_CLIENT_SECRET', 'PLEO_LOGIN_PASSWORD', 'PLEO_API_KEY', 'PLEO_API_KEY_REVOKED'].map((k) => standIn.env[k]).filter(Boolean);
    const report = JSON.parse(json) as Verification;
    const problems = [
      ...(code === c.exitCode ? [] : [`exit code ${code}, not ${c.exitCode}`]),
      ...(report.exitCode === code ? [] : [`the report says exit code ${report.exitCode}, the process exited ${code}`]),
      ...secrets.filter((s) => json.includes(s) || md.includes(s) || output.includes(s)).map(() => 'a secret in clear in the report or on the console'),
      ...(report.clientId.includes('…') ? [] : [`the client id is not masked: ${report.clientId}`]),
      ...c.expect(report),
    ];
    return { name: c.name, ok: problems.length === 0, detail: problems.length ? problems.join('; ') : `exit ${code}: ${report.verdict}${report.reasons.length ? ` (${report.reasons[0]})` : ''}` };
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function verify(): Promise<{ name: string; ok: boolean; detail: string }[]> {
  const results = [];
  // One at a time: each is a full run of the suite.
  for (const c of CASES) results.push(await verifyCase(c));
  return results;
}
