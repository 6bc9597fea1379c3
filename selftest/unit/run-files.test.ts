import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../support/run/cli-args.ts';
import { keepingSignalHandlers, RunLifecycle } from '../../support/run/lifecycle.ts';
import { prepareOutDir } from '../../support/run/out-dir.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'conformance-run-files-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RunLifecycle', () => {
  it('makes a private folder and removes it, with what it holds, after everything else', async () => {
    const lifecycle = new RunLifecycle();
    const order: string[] = [];
    const privateDir = lifecycle.privateDir();
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    writeFileSync(join(privateDir, 'session.json'), '{}', { mode: 0o600 });
    lifecycle.closeAtEnd(async () => void order.push(`target, folder still there: ${existsSync(privateDir)}`));
    lifecycle.closeAtEnd(async () => void order.push('browser'));
    await lifecycle.end();
    expect(order).toEqual(['browser', 'target, folder still there: true']);
    expect(existsSync(privateDir)).toBe(false);
  });

  it('closes each thing once, whether closed early or at the end, and despite failures', async () => {
    const lifecycle = new RunLifecycle();
    let closed = 0;
    const closeNow = lifecycle.closeAtEnd(async () => void closed++);
    lifecycle.closeAtEnd(() => Promise.reject(new Error('already gone')));
    await closeNow();
    await Promise.all([lifecycle.end(), lifecycle.end()]);
    expect(closed).toBe(1);
  });

  it('closes at once what is opened after the run began to end', async () => {
    const lifecycle = new RunLifecycle();
    await lifecycle.end();
    let closed = false;
    lifecycle.closeAtEnd(async () => void (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});

describe('keepingSignalHandlers', () => {
  it('removes the SIGINT/SIGTERM listeners added meanwhile, and only those', async () => {
    const mine = () => undefined;
    const theirs = () => undefined;
    process.on('SIGINT', mine);
    try {
      await keepingSignalHandlers(async () => {
        process.once('SIGINT', theirs);
        process.once('SIGTERM', theirs);
      });
      expect(process.listeners('SIGINT')).toContain(mine);
      expect(process.listeners('SIGINT')).not.toContain(theirs);
      expect(process.listeners('SIGTERM')).not.toContain(theirs);
    } finally {
      process.off('SIGINT', mine);
    }
  });
});

describe('prepareOutDir', () => {
  it('creates the report folders', () => {
    expect(prepareOutDir(join(dir, 'out'))).toEqual({ reportsDir: join(dir, 'out', 'reports'), allureDir: join(dir, 'out', 'allure-results') });
    expect(existsSync(join(dir, 'out', 'allure-results'))).toBe(true);
  });

  it('refuses a folder it cannot write, naming --out', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(() => prepareOutDir(join(dir, 'file', 'out'))).toThrow(new UsageError(`--out ${join(dir, 'file', 'out')}: cannot write to ${join(dir, 'file', 'out', 'reports')} (ENOTDIR)`));
  });
});
