/**
 * Self-test section "traces": a run with --trace against the stand-in must leave traces that are
 * safe to share. Every entry of every trace in reports/traces is extracted and scanned for every
 * secret the stand-in issued (its ledger) and its people's personal data; no entry may be binary
 * (a screenshot or a binary body cannot be redacted).
 */
import AdmZip from 'adm-zip';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childEnvironment, RUN, runTsx } from './child-run.ts';
import { readLedger, readPersonalData, scanForLeaks } from './leak-scan.ts';

const ROOT = resolve(import.meta.dirname, '..');
const LIMIT_S = 180;
const PERSONAL_DATA = ['employees.json', 'user.json'].flatMap((file) => readPersonalData(join(ROOT, 'fixtures', 'data', file)));
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface TraceResult {
  name: string;
  ok: boolean;
  detail: string;
}

function runWithTraces(outDir: string, ledger: string) {
  return runTsx([RUN, '--trace', '--out', outDir, '-t', 'AZ-01|TK-01'], { env: { ...childEnvironment(), PLEO_STAND_IN_LEDGER: ledger }, killAfterS: LIMIT_S });
}

const isText = (data: Buffer) => {
  try {
    return !utf8.decode(data).includes('\u0000');
  } catch {
    return false;
  }
};

export async function traces(): Promise<TraceResult[]> {
  const name = 'a --trace run leaves redacted traces: no secret, no personal data, no binary entry';
  const dir = mkdtempSync(join(tmpdir(), 'pleo-trace-'));
  try {
    const ledger = join(dir, 'ledger.txt');
    const { code, output } = await runWithTraces(join(dir, 'out'), ledger);
    const traceDir = join(dir, 'out', 'reports', 'traces');
    const zips = existsSync(traceDir) ? readdirSync(traceDir).filter((f) => f.endsWith('.zip')) : [];
    const extracted = join(dir, 'extracted');
    const binary: string[] = [];
    let entries = 0;
    for (const zip of zips) {
      for (const entry of new AdmZip(join(traceDir, zip)).getEntries()) {
        if (entry.isDirectory) continue;
        const data = entry.getData();
        entries++;
        if (!isText(data)) binary.push(`${zip}:${entry.entryName}`);
        const file = join(extracted, zip, entry.entryName);
        mkdirSync(resolve(file, '..'), { recursive: true });
        writeFileSync(file, data);
      }
    }
    const secrets = existsSync(ledger) ? readLedger(ledger) : [];
    const { leaks } = scanForLeaks([extracted], secrets, PERSONAL_DATA);
    const problems = [
      ...(code === 0 ? [] : [`exit code ${code}, not 0`]),
      ...(zips.length ? [] : ['no trace in reports/traces']),
      ...(entries ? [] : ['the traces hold no entry']),
      ...(secrets.length >= 5 ? [] : [`the ledger holds only ${secrets.length} secrets: the scan would prove nothing`]),
      ...leaks.map((l) => `${l.file.replace(`${extracted}/`, '')}: ${l.kind === 'personal-data' ? 'personal data item' : 'ledger entry'} ${l.entry} in ${l.form} form`),
      ...binary.map((entry) => `binary entry left: ${entry}`),
      ...(/open with npx playwright show-trace FILE/.test(output) ? [] : ['no closing line on the traces']),
    ];
    return [{
      name,
      ok: problems.length === 0,
      detail: problems.length ? `${problems.join('\n')}\n${output.slice(-1500)}` : `${zips.length} traces (${zips.join(', ')}), ${entries} entries, ${secrets.length} ledger secrets: none found`,
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
