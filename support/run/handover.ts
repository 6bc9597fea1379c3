/**
 * The worker's end of the configuration handover: the runner reads and validates the config once
 * and passes it to Vitest (`provide: { suiteConfig }`); the checks' worker takes that same object
 * here. The redaction registry is per process, so the worker registers the config's secrets too.
 */
import { inject } from 'vitest';
import { registerConfigSecrets, type SuiteConfig } from '../config.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    suiteConfig: SuiteConfig;
  }
}

export function injectedConfig(): SuiteConfig {
  const config = inject('suiteConfig');
  if (!config) throw new Error('No suite configuration was provided to this Vitest worker: run the checks with npm test, not with vitest directly.');
  registerConfigSecrets(config);
  return config;
}
