/**
 * The opt-in debug trace (`npm test -- --trace`, PLEO_TRACE=true): every browser context of the
 * driver records a Playwright trace, and each is redacted (trace-zip.ts) in the process that
 * recorded it, whose redaction registry knows the secrets learned during the run, then written to
 * `<reports>/traces/<context>.zip`. The raw trace exists only in the temporary folder, which is the
 * run's private folder in a run (scripts/run.ts sets TMPDIR), and is deleted at once.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright';
import type { SuiteConfig } from '../config.ts';
import { redactTraceZip } from './trace-zip.ts';

/** Where the redacted traces of a run go. */
export const traceFolder = (config: SuiteConfig): string => join(config.browser.artifactsDir, 'traces');

interface Recording {
  name: string;
  folder: string;
}

const recordings = new Map<BrowserContext, Recording>();
const namesUsed = new Set<string>();

function uniqueName(name: string): string {
  let candidate = name;
  for (let n = 2; namesUsed.has(candidate); n++) candidate = `${name}-${n}`;
  namesUsed.add(candidate);
  return candidate;
}

export async function startTracing(context: BrowserContext, config: SuiteConfig, name: string): Promise<void> {
  if (!config.browser.trace) return;
  await context.tracing.start({ screenshots: false, snapshots: true, sources: false });
  recordings.set(context, { name, folder: traceFolder(config) });
}

/** Stops recording the context (before it closes) and writes its redacted trace. */
export async function stopTracing(context: BrowserContext): Promise<void> {
  const recording = recordings.get(context);
  if (!recording) return;
  recordings.delete(context);
  await save(recording, recording.name, (path) => context.tracing.stop({ path }));
}

/**
 * Writes what every open context recorded since the last flush, as `<context>-<part>.zip`, and
 * goes on recording. The checks' worker calls it after each test file: the worker may end
 * without closing its browser, and a trace is written only when its recording stops.
 */
export async function flushTraces(part: string): Promise<void> {
  for (const [context, recording] of recordings) {
    await save(recording, `${recording.name}-${part}`, (path) => context.tracing.stopChunk({ path }));
    await context.tracing.startChunk();
  }
}

async function save(recording: Recording, name: string, stop: (path: string) => Promise<void>): Promise<void> {
  const rawDir = mkdtempSync(join(tmpdir(), 'trace-'));
  try {
    const raw = join(rawDir, 'raw.zip');
    await stop(raw);
    const trace = redactTraceZip(readFileSync(raw));
    if (trace.actions === 0) return;
    mkdirSync(recording.folder, { recursive: true });
    writeFileSync(join(recording.folder, `${uniqueName(name)}.zip`), trace.zip);
  } catch {
    // A trace is a debugging aid: failing to write one must not fail the run.
  } finally {
    rmSync(rawDir, { recursive: true, force: true });
  }
}
