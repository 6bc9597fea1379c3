/**
 * Run by handover.test.ts in a nested Vitest run, in a worker of its own: takes the configuration
 * the way the checks do, and reports what arrived (and whether its secrets are masked here) in
 * the test's meta.
 */
import { test } from 'vitest';
import { injectedConfig } from '../../../support/run/handover.ts';
import { redact } from '../../../support/secrets.ts';

test('the worker receives the runner\'s configuration', ({ task }) => {
  const config = injectedConfig();
  Object.assign(task.meta, { received: config, clientSecretShownAs: redact(config.clientSecret) });
});
