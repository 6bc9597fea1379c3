import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { leakForms, readLedger, scanForLeaks } from '../leak-scan.ts';

const SECRET = 'sEcr3t+/=:%~ value';

function artifacts(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'leak-scan-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('scanForLeaks', () => {
  it.each(leakForms(SECRET))('finds a secret planted in %s form, in a nested file', (form, value) => {
    const dir = artifacts({ 'allure-results/a-attachment.txt': `before ${value} after`, 'reports/junit.xml': '<ok/>' });
    const { leaks, filesScanned } = scanForLeaks([dir], [SECRET]);
    expect(filesScanned).toBe(2);
    expect(leaks).toContainEqual({ file: join(dir, 'allure-results/a-attachment.txt'), entry: 0, form });
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
});
