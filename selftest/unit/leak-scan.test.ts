import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leakForms, readLedger, readPersonalData, scanForLeaks } from '../leak-scan.ts';
import { cpuMillis, jwtSizedToken } from './redaction-helpers.ts';

const SECRET = 'sEcr3t+/=:%~ "value"';

function artifacts(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'leak-scan-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('scanForLeaks: secrets', () => {
  it.each(leakForms(SECRET))('finds a secret planted in %s form, in a nested file', (form, value) => {
    const dir = artifacts({ 'allure-results/a-attachment.txt': `before ${value} after`, 'reports/junit.xml': '<ok/>' });
    const { leaks, filesScanned } = scanForLeaks([dir], [SECRET]);
    expect(filesScanned).toBe(2);
    expect(leaks).toContainEqual({ file: join(dir, 'allure-results/a-attachment.txt'), kind: 'secret', entry: 0, form });
  });

  it('finds a 12-character piece of a 1 KB token, and not an 11-character one', () => {
    const token = jwtSizedToken();
    const secrets = ['another-secret-value', token];
    const dir = artifacts({ 'cut.txt': `HTTP 200 {"note":"${token.slice(500, 512)}…`, 'short.txt': token.slice(600, 611) });
    expect(scanForLeaks([dir], secrets).leaks).toEqual([{ file: join(dir, 'cut.txt'), kind: 'secret', entry: 1, form: 'clear' }]);
  });

  it('finds a piece of the base64 form', () => {
    const token = jwtSizedToken();
    const base64 = Buffer.from(token).toString('base64');
    const dir = artifacts({ 'basic.txt': `authorization: Basic ${base64.slice(301, 320)}` });
    expect(scanForLeaks([dir], [token]).leaks).toEqual([{ file: join(dir, 'basic.txt'), kind: 'secret', entry: 0, form: 'base64' }]);
  });

  it('finds a piece that starts inside an escape of the url-encoded form', () => {
    const dir = artifacts({ 'url.txt': `?x=${encodeURIComponent(SECRET).slice(8, 20)}` });
    expect(scanForLeaks([dir], [SECRET]).leaks).toContainEqual(expect.objectContaining({ entry: 0, form: 'url-encoded' }));
  });

  it('reports nothing for redacted artifacts', () => {
    const dir = artifacts({ 'console.log': 'client_secret=[REDACTED:client_secret]' });
    expect(scanForLeaks([dir], [SECRET]).leaks).toEqual([]);
  });

  it('skips screenshots, whose secrets would be pixels', () => {
    const dir = artifacts({ 'shot.png': SECRET });
    expect(scanForLeaks([dir], [SECRET]).leaks).toEqual([]);
  });

  it('reads a ledger without blanks, duplicates or short values', () => {
    const dir = artifacts({ 'ledger.txt': `${SECRET}\n\n${SECRET}\nshort\nanother-secret-value\n` });
    expect(readLedger(join(dir, 'ledger.txt'))).toEqual([SECRET, 'another-secret-value']);
  });

  it('tolerates paths that do not exist', () => {
    expect(scanForLeaks(['/nonexistent/path'], [SECRET])).toEqual({ leaks: [], filesScanned: 0 });
  });

  it('scans a run in seconds: 300 secrets of 1 KB, 3 MB of artifacts', { timeout: 120_000 }, () => {
    const secrets = Array.from({ length: 300 }, jwtSizedToken);
    const filler = `${JSON.stringify({ note: 'nothing to see '.repeat(10), blob: randomBytes(600).toString('base64') })}\n`;
    const dir = artifacts({
      'a.txt': filler.repeat(1_000_000 / filler.length),
      'b.txt': filler.repeat(1_000_000 / filler.length),
      'c.txt': `${filler.repeat(1_000_000 / filler.length)}${secrets[299].slice(-12)}`,
    });
    let leaks: unknown[] = [];
    expect(cpuMillis(() => (leaks = scanForLeaks([dir], secrets).leaks))).toBeLessThan(3000);
    expect(leaks).toEqual([{ file: join(dir, 'c.txt'), kind: 'secret', entry: 299, form: 'clear' }]);
  });
});

describe('scanForLeaks: personal data', () => {
  const people = ['astrid.holm@stand-in.example', 'Astrid Holm', 'Dana'];

  it.each([
    ['clear', '{"email":"astrid.holm@stand-in.example"}', 0],
    ['url-encoded', '?login_hint=astrid.holm%40stand-in.example', 0],
    ['clear', 'HTTP 200 Astrid Holm, member', 1],
    ['clear', 'Dana', 2],
  ])('finds a value in %s form: %s', (form, text, entry) => {
    const dir = artifacts({ 'checks.json': text });
    expect(scanForLeaks([dir], [], people).leaks).toContainEqual({ file: join(dir, 'checks.json'), kind: 'personal-data', entry, form });
  });

  it('counts a name only as a whole word, and never a piece of an address', () => {
    const dir = artifacts({ 'console.log': 'Danavej 3, partner@stand-in.example, [REDACTED:email]' });
    expect(scanForLeaks([dir], [], people).leaks).toEqual([]);
  });

  it('reads e-mails, names and full names from a file of people, leaving out short names', () => {
    const dir = artifacts({
      'employees.json': JSON.stringify([
        { id: '1', firstName: 'Astrid', lastName: 'Holm', email: 'astrid.holm@stand-in.example', role: 'owner' },
        { id: '2', firstName: 'Bo', lastName: 'Nyberg', email: 'bo.nyberg@stand-in.example' },
      ]),
      'user.json': JSON.stringify({ email: 'partner@stand-in.example', name: 'Stand-in Partner' }),
    });
    expect(readPersonalData(join(dir, 'employees.json'))).toEqual([
      'astrid.holm@stand-in.example', 'Astrid', 'Holm', 'Astrid Holm', 'bo.nyberg@stand-in.example', 'Nyberg', 'Bo Nyberg',
    ]);
    expect(readPersonalData(join(dir, 'user.json'))).toEqual(['partner@stand-in.example']);
  });
});
