/** Whether a server resolves, completes the TLS handshake and answers: what the preflight demands, and what the run asks again when checks keep failing. */
import { send, TransportError } from '../http.ts';
import { TargetUnavailableError } from '../run/errors.ts';
import { isTransientStatus } from './repeats.ts';

/** What keeps `url` from answering ("is unreachable: …", "answers HTTP 503 …"); undefined when it answers. */
export async function unreachable(url: string): Promise<string | undefined> {
  let status: number;
  try {
    status = (await send({ method: 'GET', url })).response.status;
  } catch (error) {
    if (error instanceof TransportError) return `is unreachable: ${error.reason}`;
    if (error instanceof TargetUnavailableError) return `is unreachable: ${error.reason}`;
    throw error;
  }
  return isTransientStatus(status) ? `answers HTTP ${status}: the server is unavailable` : undefined;
}
