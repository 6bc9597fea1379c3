import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['selftest/unit/**/*.test.ts'],
    // Several files wait on a browser or a local server: one worker more than Vitest's default
    // (cores - 1) keeps a 2-core machine busy.
    maxWorkers: 3,
    reporters: ['default'],
  },
});
