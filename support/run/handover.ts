/**
 * The worker's end of the configuration handover: the runner reads and validates the config once
 * and passes it to Vitest (`provide: { suiteConfig }`); the checks' worker takes that same object
 * here. The redaction registry is per process, so the worker registers the config's secrets too.
 *
 * The self-test's fault matrix runs many copies of the suite in one Vitest run, each against its
 * own stand-in: `.matrix/<fault>/{tests,support}` link to this project, and Vitest keeps linked
 * paths apart (preserveSymlinks), so each copy has its own modules and state. A copy finds its
 * target under its own folder in `suiteCopies`, with the checks it runs.
 */
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { registerConfigSecrets, type SuiteConfig } from '../config.ts';

export interface SuiteCopy {
  config: SuiteConfig;
  /** The checks this copy runs (the ones its fault declares); the others are not registered. */
  checkIds: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    suiteConfig: SuiteConfig;
    /** The fault matrix's copies of the suite, by the copy's folder (with a trailing slash). */
    suiteCopies: Record<string, SuiteCopy>;
  }
}

/** The folder of the suite this module belongs to: the project, or one copy of it. */
const SUITE_FOLDER = fileURLToPath(new URL('../../', import.meta.url));

const thisCopy = (): SuiteCopy | undefined => inject('suiteCopies')?.[SUITE_FOLDER];

export function injectedConfig(): SuiteConfig {
  const config = thisCopy()?.config ?? inject('suiteConfig');
  if (!config) throw new Error('No suite configuration was provided to this Vitest worker: run the checks with npm test, not with vitest directly.');
  registerConfigSecrets(config);
  return config;
}

/** Whether this suite runs the check: every check, except in a copy narrowed to its fault's checks. */
export function runsCheck(id: string): boolean {
  const copy = thisCopy();
  return !copy || copy.checkIds.includes(id);
}
