/**
 * Allure 3 settings for `npm run report` (scripts/report.ts): the Awesome report as one
 * self-contained HTML file, so it opens from disk without a server, tests grouped by catalog
 * area, and one category per verdict. The `verdict` and `fixed` labels are written at the end of
 * each run by support/reporting/allure-results.ts. The first category that matches a result wins.
 */
import { defineConfig } from 'allure';

const verdict = (value) => ({ labels: { verdict: `^${value}$` } });

export default defineConfig({
  name: 'Pleo OAuth conformance',
  output: './allure-report',
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
