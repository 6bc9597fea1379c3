import { describe, expect, it, vi } from 'vitest';
import type { TestCase, Vitest } from 'vitest/node';
import { TargetUnavailableError } from '../../support/run/errors.ts';
import { UnavailableTarget } from '../../support/run/unavailable.ts';

const result = (state: 'passed' | 'failed' | 'skipped', ...errors: Array<{ name: string; message: string }>) =>
  ({ result: () => ({ state, errors }) }) as unknown as TestCase;

function reporter(unanswered: () => Promise<string | undefined>) {
  const cancelCurrentRun = vi.fn(async () => undefined);
  const target = new UnavailableTarget(unanswered);
  target.onInit({ cancelCurrentRun } as unknown as Vitest);
  return { target, cancelCurrentRun };
}

describe('UnavailableTarget (the runner\'s side of the circuit breaker)', () => {
  it('stops the run at the first check that failed with the worker\'s TargetUnavailableError, and exits with its reason', async () => {
    const unanswered = vi.fn(async () => undefined);
    const { target, cancelCurrentRun } = reporter(unanswered);
    target.onTestCaseResult(result('passed'));
    target.onTestCaseResult(result('failed', { name: 'TargetUnavailableError', message: 'the target is unavailable: 3 requests in a row failed' }));
    expect(cancelCurrentRun).toHaveBeenCalledOnce();
    const error = await target.throwIfUnavailable().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toBe('the target is unavailable: 3 requests in a row failed');
    expect(unanswered).not.toHaveBeenCalled();
  });

  it('asks whether the target answers after a check that could not run, and stops only if it does not', async () => {
    const answers = ['http://auth is unreachable: refused', undefined];
    const unanswered = vi.fn(async () => answers.pop());
    const { target, cancelCurrentRun } = reporter(unanswered);
    target.onTestCaseResult(result('failed', { name: 'CheckFailure', message: 'a violated requirement' }));
    expect(unanswered).not.toHaveBeenCalled();
    target.onTestCaseResult(result('failed', { name: 'BrowserFlowError', message: 'no screen' }));
    await target.throwIfUnavailable(); // it answered: the run goes on
    expect(cancelCurrentRun).not.toHaveBeenCalled();
    target.onTestCaseResult(result('failed', { name: 'TransportError', message: 'cannot reach' }));
    await expect(target.throwIfUnavailable()).rejects.toThrow('the target is unavailable: http://auth is unreachable: refused');
    expect(cancelCurrentRun).toHaveBeenCalledOnce();
  });
});
