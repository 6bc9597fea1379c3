/**
 * `npm run catalog`: the suite's coverage of the check catalog. For each catalog ID: the test that
 * implements it (read from the `check(…)` calls in tests/), its level, the stand-in's faults that
 * it must catch, and its verdict in the last run (reports/checks.json). Then the problems: IDs
 * outside the catalog or defined twice, faults naming a check no test implements, checks without a fault.
 * Exit codes: 0 (the coverage is a report, whatever it says), 2 bad input.
 */
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FAULTS } from '../fixtures/stand-in/faults.ts';
import { CATALOG } from '../support/catalog-ids.ts';
import { checksInFolder, coverage, coverageMarkdown, coverageText, readLastRun } from '../support/coverage.ts';

const ROOT = resolve(import.meta.dirname, '..');

const USAGE = `Usage: npm run catalog [-- --json | --markdown] [--out DIR]

Lists every catalog check with the test that implements it, its level, its faults and its verdict
in the last run (DIR/reports/checks.json, as npm test -- --out DIR wrote it; default: the current folder).
  --json       the same as JSON
  --markdown   the implemented checks as a Markdown table (the README's checks table)
  --out DIR    where the last run's reports/ folder is`;

function main(argv: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: {
      json: { type: 'boolean' }, markdown: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
  } catch (error) {
    console.error(`Cannot list the catalog: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.json && values.markdown) {
    console.error(`Cannot list the catalog: --json and --markdown are two formats: give one\n${USAGE}`);
    return 2;
  }
  const reportFile = join(resolve(values.out ?? '.'), 'reports', 'checks.json');
  const result = coverage({
    catalog: CATALOG,
    parsed: checksInFolder(join(ROOT, 'tests'), ROOT),
    faults: FAULTS,
    lastRun: readLastRun(reportFile, relative(process.cwd(), reportFile)),
  });
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else if (values.markdown) console.log(coverageMarkdown(result));
  else for (const line of coverageText(result)) console.log(line);
  return 0;
}

process.exit(main(process.argv.slice(2)));
