/**
 * `npm run summary -- [--current PATH] [--previous PATH]`: prints the Markdown summary of a run
 * (support/nightly-summary.ts) from its checks.json (default reports/checks.json), compared with a
 * previous run's checks.json if one is given. A previous file that does not exist is the first
 * night, and the summary says so. The nightly workflow appends the output to $GITHUB_STEP_SUMMARY.
 * Exit codes: 0 printed, 2 bad input (unknown option, a missing or malformed current file).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ChecksFileError, readChecksReport, summaryMarkdown } from '../support/nightly-summary.ts';

const USAGE = 'Usage: npm run summary -- [--current reports/checks.json] [--previous PATH]';

function main(argv: string[]): number {
  let values: { current: string; previous?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { current: { type: 'string', default: 'reports/checks.json' }, previous: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(`Cannot write the summary: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    if (!existsSync(values.current)) throw new ChecksFileError(`${values.current} does not exist: the run wrote no checks (did it start?)`);
    const current = readChecksReport(values.current);
    const havePrevious = values.previous !== undefined && existsSync(values.previous);
    const previous = havePrevious ? readChecksReport(values.previous!) : undefined;
    const note = values.previous === undefined ? undefined : `No previous run (${values.previous} does not exist): nothing to compare with.`;
    process.stdout.write(summaryMarkdown(current, previous, note));
    return 0;
  } catch (error) {
    if (!(error instanceof ChecksFileError)) throw error;
    console.error(`Cannot write the summary: ${error.message}`);
    return 2;
  }
}

process.exit(main(process.argv.slice(2)));
