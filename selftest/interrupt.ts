/**
 * Nothing secret outlives an interrupted run: a real run (stand-in, preflight login, checks) gets
 * SIGINT once its test user has logged in, and must exit 130 leaving nothing in its temporary
 * folder — not the saved session, not a Chromium profile.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN, startTsx } from './child-run.ts';

const LOGGED_IN = /preflight: test user logged in … ok/;
const LOGIN_TIMEOUT_MS = 180_000;
const EXIT_TIMEOUT_MS = 30_000;

/** Processes whose command line names `dir` (a Chromium left running on the run's files); Linux only. */
function processesUsing(dir: string): string[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid)).flatMap((pid) => {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return command.includes(dir) ? [`${pid} ${command.slice(0, 80)}`] : [];
    } catch {
      return []; // gone meanwhile
    }
  });
}

/** Every file below `dir` (folders alone are not listed). */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => !entry.isDirectory()).map((entry) => join(entry.parentPath, entry.name));
}

export async function interruptLeavesNothing(): Promise<{ ok: boolean; detail: string }> {
  const temp = mkdtempSync(join(tmpdir(), 'pleo-interrupt-')); // 0700
  const out = mkdtempSync(join(tmpdir(), 'pleo-interrupt-out-'));
  try {
    let loggedIn!: (yes: boolean) => void;
    const login = new Promise<boolean>((done) => (loggedIn = done));
    // TSX_DISABLE_CACHE: tsx would otherwise keep its compile cache in the temp folder under test.
    const run = startTsx([RUN, '--out', out], {
      env: { ...process.env, TMPDIR: temp, TSX_DISABLE_CACHE: '1', FORCE_COLOR: '0' },
      onOutput: (output) => LOGGED_IN.test(output) && loggedIn(true),
    });
    const child = run.process;
    const exited = run.exited;
    const timer = setTimeout(() => loggedIn(false), LOGIN_TIMEOUT_MS);
    void exited.then(() => loggedIn(false));
    const didLogIn = await login;
    clearTimeout(timer);
    if (!didLogIn) {
      child.kill('SIGKILL');
      return { ok: false, detail: `the run never logged in:\n${run.output().slice(-2000)}` };
    }
    const sessionsBefore = filesBelow(temp).filter((file) => file.endsWith('session.json'));
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((done) => setTimeout(() => done('hung'), EXIT_TIMEOUT_MS).unref())]);
    if (code === 'hung') {
      child.kill('SIGKILL');
      return { ok: false, detail: `the run did not exit within ${EXIT_TIMEOUT_MS / 1000} s of SIGINT` };
    }
    // Anything still running on the run's files would write them again: look once more a moment later.
    const running = processesUsing(temp);
    await new Promise((done) => setTimeout(done, 1000));
    // tsx's own IPC folder (tsx-<uid>/) may stay, empty; no file may.
    const left = filesBelow(temp);
    const problems = [
      ...(sessionsBefore.length ? [] : ['no saved session was found before SIGINT: the test proved nothing']),
      ...(code === 130 ? [] : [`exit code ${code}, not 130`]),
      ...(left.length ? [`left in the temporary folder: ${left.join(', ')}`] : []),
      ...(running.length ? [`still running on the temporary folder: ${running.join('; ')}`] : []),
    ];
    return {
      ok: problems.length === 0,
      detail: problems.length ? `${problems.join('; ')}\n${run.output().slice(-2000)}` : `SIGINT after login: exit 130, the session (${sessionsBefore.join(', ')}) and every temporary file removed, no process left on them`,
    };
  } finally {
    rmSync(temp, { recursive: true, force: true, maxRetries: 5 });
    rmSync(out, { recursive: true, force: true, maxRetries: 5 });
  }
}
