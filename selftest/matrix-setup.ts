/**
 * The fault matrix's setup file: after each test file, close the browser connections the file's
 * copy of the suite opened (support/run/worker-cleanup.ts); the next file of that copy reconnects.
 */
import { afterAll } from 'vitest';
import { runWorkerCleanups } from '../support/run/worker-cleanup.ts';

afterAll(runWorkerCleanups);
