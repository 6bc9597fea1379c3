import { defineConfig } from 'vitest/config';

const levels = ['must', 'should', 'profile', 'info'];
const areas = ['az', 'pk', 'tk', 'ca', 'rt', 'sc', 'rs', 'ak', 'rv', 'md', 'sec', 'pl'];

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // One worker that keeps its modules between files: one browser, one login and one shared
    // token family per run, and never two checks racing on the target's rate limit.
    pool: 'forks',
    fileParallelism: false,
    isolate: false,
    // Writes the debug traces of --trace after each file (the worker never closes its browser).
    setupFiles: ['support/run/trace-flush.ts'],
    sequence: { shuffle: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    tags: [
      ...levels.map((name) => ({ name, description: `requirement level ${name.toUpperCase()}` })),
      ...areas.map((name) => ({ name, description: `catalog area ${name.toUpperCase()}` })),
      // Opt-in checks (support/opt-in.ts): skipped unless the run has --slow or --destructive.
      // `npm test -- --slow --tags-filter=slow` runs only the slow ones (a nightly job).
      { name: 'slow', description: 'waits out a code or token lifetime; runs only with --slow' },
      { name: 'destructive', description: 'changes the target beyond tokens; runs only with --destructive' },
    ],
    reporters: ['default', 'allure-vitest/reporter'],
  },
});
