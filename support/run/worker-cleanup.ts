/**
 * What a worker's checks opened and must close before the next test file: the browser. A normal
 * run's worker ends with the run, and its browser with it. The self-test's fault matrix runs many
 * copies of the suite in one worker (support/run/handover.ts), each with its own browser
 * connection, and closes them after every file. The registry lives on globalThis because each copy
 * has its own instance of this module.
 */
type Cleanup = () => Promise<void>;

const REGISTRY = Symbol.for('pleo-conformance.worker-cleanups');
const cleanups: Set<Cleanup> = ((globalThis as Record<symbol, Set<Cleanup> | undefined>)[REGISTRY] ??= new Set());

export function onWorkerCleanup(cleanup: Cleanup): void {
  cleanups.add(cleanup);
}

export async function runWorkerCleanups(): Promise<void> {
  await Promise.all([...cleanups].map((cleanup) => cleanup().catch(() => undefined)));
}
