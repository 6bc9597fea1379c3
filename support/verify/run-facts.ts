/**
 * One run's verdicts and observed facts, read back from its checks.json for the registration
 * report: what a check's verdict says in plain words, and the facts its INFO notes recorded.
 */
import type { CheckResult } from '../reporting/checks-reporter.ts';
import { observationOf, type Fact } from './observations.ts';

/** A detail's first line, short enough for a report line. */
export const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0].slice(0, 300);

export class RunFacts {
  private readonly byId: Map<string, CheckResult>;
  constructor(list: CheckResult[]) {
    this.byId = new Map(list.map((c) => [c.id ?? c.name, c]));
  }

  get(id: string): CheckResult | undefined {
    return this.byId.get(id);
  }

  fact(id: string, fact: Fact): string | undefined {
    return observationOf(this.get(id), fact);
  }

  /**
   * What a check's verdict says, in the words given for a pass and for a failure. A warning is a
   * failure of a SHOULD check, and a passed requirement with a SHOULD around it violated elsewhere.
   * Expected failures are named, their reasons listed once under Conformance.
   */
  says(id: string, pass: string, fail: string): string {
    const check = this.get(id);
    if (!check) return `${id} did not run`;
    const warned = (how: string) => (check.level === 'SHOULD' ? `${fail} (${id}: ${how})` : `${pass}, with a warning (${id}: ${how})`);
    switch (check.status) {
      case 'SUCCESS':
      case 'INFO':
        return `${pass} (${id} passed)`;
      case 'FAILURE':
        return `${fail} (${id} failed: ${firstLine(check.details[0])})`;
      case 'WARNING':
        return warned(firstLine(check.details[0]));
      case 'EXPECTED':
        return check.expected?.as === 'WARNING' ? warned('an expected warning') : `${fail} (${id}: an expected failure)`;
      case 'REVIEW':
        return `${pass}, for review (${id}: ${firstLine(check.details[0])})`;
      case 'SKIPPED':
        return `not checked (${id} skipped: ${firstLine(check.details[0])})`;
    }
  }

  /** A check's status in a word, for a note that quotes what it observed. */
  status(id: string): string {
    const status = this.get(id)?.status;
    return status === undefined ? 'did not run' : status === 'SUCCESS' || status === 'INFO' ? 'passed' : status.toLowerCase();
  }

  /** The requirement was violated (expected or not). */
  failed(id: string): boolean {
    const check = this.get(id);
    return check?.status === 'FAILURE' || (check?.status === 'EXPECTED' && check.expected?.as === 'FAILURE');
  }

  /** The requirement held (a SHOULD around it may have warned, as expected or not). */
  passed(id: string): boolean {
    const check = this.get(id);
    if (!check || check.level === 'SHOULD') return ['SUCCESS', 'INFO', 'REVIEW'].includes(check?.status ?? '');
    return ['SUCCESS', 'INFO', 'WARNING', 'REVIEW'].includes(check.status) || (check.status === 'EXPECTED' && check.expected?.as === 'WARNING');
  }
}
