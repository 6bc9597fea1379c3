/** The run cannot start (unreachable target, refused credentials, failed login …): exit code 2, one message. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The target stopped answering during the run (support/politeness/breaker.ts): exit code 2 too, not a verdict. */
export class TargetUnavailableError extends StartupError {
  override name = 'TargetUnavailableError';

  constructor(readonly reason: string) {
    super(`the target is unavailable: ${reason}`);
  }
}
