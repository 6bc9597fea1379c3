/**
 * How a run ends, whichever way it ends: normally, on a failure, or on SIGINT/SIGTERM (then with
 * exit code 130/143). Everything the run opened is closed in reverse order, and its private
 * temporary folder, which holds the saved login session (a live credential), is removed last.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof SIGNAL_EXIT_CODES;

/** Nothing may hold the end of a run forever (a browser that does not answer, say). */
const CLOSE_TIMEOUT_MS = 10_000;

export class RunLifecycle {
  private readonly closes: Array<() => Promise<void>> = [];
  private ending: Promise<void> | undefined;
  /** The signal that interrupted the run, if one did. */
  signal: Signal | undefined;

  /** Closes a resource when the run ends; the function returned closes it now (once). */
  closeAtEnd(close: () => Promise<unknown>): () => Promise<void> {
    let closing: Promise<void> | undefined;
    const closeOnce = () => (closing ??= withTimeout(Promise.resolve().then(close)));
    if (this.ending) void closeOnce(); // opened while the run was already ending
    else this.closes.push(closeOnce);
    return closeOnce;
  }

  /**
   * A new private folder (0700) for the run's temporary files, removed when the run ends, and also
   * at process exit should anything exit the process early.
   */
  privateDir(prefix = 'pleo-conformance-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    chmodSync(dir, 0o700);
    const remove = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    process.once('exit', remove);
    this.closeAtEnd(async () => remove());
    return dir;
  }

  /** Closes everything, newest first. Safe to call more than once. */
  end(): Promise<void> {
    this.ending ??= (async () => {
      for (const close of this.closes.reverse()) await close();
    })();
    return this.ending;
  }

  /** On SIGINT or SIGTERM: end the run, then exit 130 or 143. A second signal exits at once. */
  exitOnSignals(log: (text: string) => void = (text) => console.error(text)): void {
    for (const signal of Object.keys(SIGNAL_EXIT_CODES) as Signal[]) {
      process.once(signal, () => {
        this.signal ??= signal;
        log(`\n${signal}: stopping; closing the browser and the target, removing the saved session …`);
        process.once(signal, () => process.exit(SIGNAL_EXIT_CODES[signal]));
        void this.end().finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
      });
    }
  }
}

function withTimeout(work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)));
  return Promise.race([work.then(() => undefined, () => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * For the checks' worker: exit at once on SIGINT/SIGTERM. Vitest stops its worker with SIGTERM
 * and kills it 500 ms later, too soon for a graceful browser close; a prompt exit runs
 * Playwright's exit handler instead, which kills Chromium and removes its profile (and the
 * session cookie in it) before the worker is gone.
 */
export function exitPromptlyOnSignals(): void {
  // Once per process, however many copies of this module the fault matrix's worker holds.
  const done = Symbol.for('pleo-conformance.exits-promptly');
  if ((process as unknown as Record<symbol, boolean>)[done]) return;
  (process as unknown as Record<symbol, boolean>)[done] = true;
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as Signal[]) process.once(signal, () => process.exit(SIGNAL_EXIT_CODES[signal]));
}

/**
 * Runs `create` and removes the SIGINT/SIGTERM listeners it added: Vitest's logger exits the
 * process 1 ms after a signal, before the run could close its browsers and remove the session.
 */
export async function keepingSignalHandlers<T>(create: () => Promise<T>): Promise<T> {
  const before = new Map((['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    return await create();
  } finally {
    for (const [signal, listeners] of before) {
      for (const listener of process.listeners(signal)) if (!listeners.has(listener)) process.off(signal, listener);
    }
  }
}
