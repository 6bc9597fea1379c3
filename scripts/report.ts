/**
 * `npm run report`: builds the Allure report of the last run as one HTML file that opens from
 * disk (allurerc.mjs), without analytics, and says where it is. `--out DIR` reads DIR/allure-results,
 * as `npm test -- --out DIR` wrote it, and writes DIR/allure-report.
 * Each report appends its run to DIR/allure-history/<target>.jsonl (allurerc.mjs) and shows the
 * earlier runs there as history and trend; building the same results again appends nothing.
 * Exit codes: 0 built, 1 Allure failed or the page would load something from the network, 2 bad input.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remoteResources, withoutAnalytics } from '../support/reporting/offline-report.ts';
import { alreadyInHistory, historyFileOf } from '../support/report-history.ts';

const USAGE = 'Usage: npm run report [-- --out DIR]   (DIR holds allure-results/, as with npm test -- --out DIR)';

function main(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const outIndex = argv.indexOf('--out');
  const extra = argv.filter((arg, i) => i !== outIndex && i !== outIndex + 1);
  if (extra.length || (outIndex >= 0 && !argv[outIndex + 1])) {
    console.error(`Cannot build the report: unexpected ${extra.length ? `"${extra.join(' ')}"` : '--out without a folder'}\n${USAGE}`);
    return 2;
  }
  const out = resolve(outIndex >= 0 ? argv[outIndex + 1] : '.');
  const resultsDir = join(out, 'allure-results');
  const reportDir = join(out, 'allure-report');
  if (!existsSync(resultsDir) || !readdirSync(resultsDir).some((f) => f.endsWith('-result.json'))) {
    console.error(`Cannot build the report: no Allure results in ${shown(resultsDir)}. Run npm test first.`);
    return 2;
  }

  const target = targetOf(resultsDir);
  const historyFile = historyFileOf(out, target);
  const appendHistory = !alreadyInHistory(historyFile, resultsDir);

  rmSync(reportDir, { recursive: true, force: true });
  const allureCli = join(dirname(fileURLToPath(import.meta.resolve('allure'))), '..', 'cli.js');
  const generated = spawnSync(process.execPath, [allureCli, 'generate', resultsDir, '--output', reportDir, '--report-name', target ? `Pleo OAuth conformance: ${target}` : 'Pleo OAuth conformance'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)), // where allurerc.mjs is
    env: { ...process.env, REPORT_HISTORY_FILE: historyFile, REPORT_APPEND_HISTORY: String(appendHistory) },
    stdio: 'inherit',
  });
  if (generated.status !== 0) {
    console.error(`Allure could not build the report (exit ${generated.status ?? generated.signal}).`);
    return 1;
  }

  const page = join(reportDir, 'index.html');
  const html = withoutAnalytics(readFileSync(page, 'utf8'));
  const remote = remoteResources(html);
  if (remote.length) {
    rmSync(reportDir, { recursive: true, force: true });
    console.error(`The report would load from the network (${remote.join(', ')}), so it was not kept. Has Allure's template changed?`);
    return 1;
  }
  writeFileSync(page, html);
  console.log(`\nReport: ${shown(page)} (one self-contained file: no server and no network needed)`);
  console.log(`History: ${shown(historyFile)}${appendHistory ? '' : ' (this run was in it already)'}`);
  console.log(`Open it: ${openCommand()} ${shown(page)}   (or drag it into a browser)`);
  return 0;
}

/** The target label as the run recorded it in environment.properties. */
function targetOf(resultsDir: string): string | undefined {
  const properties = join(resultsDir, 'environment.properties');
  return existsSync(properties) ? /^target=(.*)$/m.exec(readFileSync(properties, 'utf8'))?.[1] : undefined;
}

function openCommand(): string {
  if (process.platform === 'darwin') return 'open';
  if (process.platform === 'win32') return 'start';
  return 'xdg-open';
}

/** Relative to the current folder when inside it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

process.exit(main(process.argv.slice(2)));
