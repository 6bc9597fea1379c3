/** The run cannot start (unreachable target, refused credentials, failed login …): exit code 2, one message. */
export class StartupError extends Error {
  override name = 'StartupError';
}
