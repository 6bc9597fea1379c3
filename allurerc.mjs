/**
 * Allure 3 settings for `npm run report` (scripts/report.ts): the Awesome report as one
 * self-contained HTML file, so it opens from disk without a server, tests grouped by catalog
 * area, and one category per verdict. The `verdict` and `fixed` labels are written at the end of
 * each run by support/reporting/allure-results.ts. The first category that matches a result wins.
 *
 * History: every report appends its run to a JSON Lines file and shows the earlier runs as each
 * check's history and as the trend, so a nightly report says since when a check fails.
 * scripts/report.ts names one file per target (REPORT_HISTORY_FILE) so that runs against the
 * stand-in and against staging never share a trend, and appends a run only once
 * (REPORT_APPEND_HISTORY); the nightly workflow caches that folder.
 */
import { defineConfig } from 'allure';

const verdict = (value) => ({ labels: { verdict: `^${value}$` } });

export default defineConfig({
  name: 'Pleo OAuth conformance',
  output: './allure-report',
  historyPath: process.env.REPORT_HISTORY_FILE ?? './allure-history/history.jsonl',
  // About two months of nights: enough to see when a check started failing, small enough to cache.
  historyLimit: 60,
  appendHistory: process.env.REPORT_APPEND_HISTORY !== 'false',
  plugins: {
    awesome: {
      options: { singleFile: true, reportLanguage: 'en', groupBy: ['feature'], defaultSortBy: 'name,asc' },
    },
  },
  categories: [
    { name: 'Fixed: remove from expected failures', matchers: { labels: { fixed: '^true$' } } },
    { name: 'Assertion failures (MUST, PROFILE)', matchers: { ...verdict('FAILURE'), statuses: ['failed'] } },
    { name: 'Infrastructure errors', matchers: { ...verdict('FAILURE'), statuses: ['broken'] } },
    { name: 'Expected failures', matchers: verdict('EXPECTED') },
    { name: 'Warnings (SHOULD)', matchers: verdict('WARNING') },
    { name: 'Needs review', matchers: verdict('REVIEW') },
    { name: 'Skipped: precondition', matchers: verdict('SKIPPED') },
    { name: 'Observations (INFO)', matchers: verdict('INFO') },
  ],
});
