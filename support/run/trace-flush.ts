/**
 * A setup file of the checks' worker (vitest.config.ts): after each test file, writes the redacted
 * traces the worker's browser contexts recorded during it (support/browser/tracing.ts). A normal
 * run's worker never closes its browser (the process ends with the run), so a trace written only
 * on close would be lost; with `isolate: false` this hook runs once per file in the one worker.
 */
import { basename } from 'node:path';
import { afterAll } from 'vitest';
import { flushTraces } from '../browser/tracing.ts';

// The hook's first argument must be a destructuring pattern (Vitest reads the fixtures it names).
afterAll(({}, suite) => flushTraces(basename(suite.name).replace(/\.test\.ts$/, '')));
