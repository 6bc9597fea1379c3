import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alreadyInHistory, historyFileOf } from '../../support/report-history.ts';

describe('historyFileOf', () => {
  it('keeps one file per target, its label made a safe file name', () => {
    expect(historyFileOf('/out', 'staging')).toBe('/out/allure-history/staging.jsonl');
    expect(historyFileOf('/out', 'local[code-reusable,x]{login-302}')).toBe('/out/allure-history/local_code-reusable_x_login-302_.jsonl');
    expect(historyFileOf('/out', '../../etc')).toBe('/out/allure-history/.._.._etc.jsonl');
    expect(historyFileOf('/out', undefined)).toBe('/out/allure-history/default.jsonl');
  });
});

describe('alreadyInHistory', () => {
  let dir: string;
  let results: string;
  let history: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'report-history-'));
    results = join(dir, 'allure-results');
    history = join(dir, 'history.jsonl');
    mkdirSync(results);
    writeFileSync(join(results, 'a-result.json'), JSON.stringify({ stop: 1000 }));
    writeFileSync(join(results, 'b-result.json'), JSON.stringify({ stop: 3000 }));
    writeFileSync(join(results, 'c-attachment.txt'), 'not a result');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const night = (...stops: number[]) => JSON.stringify({ testResults: Object.fromEntries(stops.map((stop, i) => [`h${i}`, { stop }])) });

  it('no history yet: append', () => {
    expect(alreadyInHistory(history, results)).toBe(false);
  });

  it('the last night recorded is this run: do not append it again', () => {
    writeFileSync(history, `${night(10, 20)}\n${night(3000, 1000)}\n`);
    expect(alreadyInHistory(history, results)).toBe(true);
  });

  it('the last night recorded is an earlier run (or this run is recorded but not last): append', () => {
    writeFileSync(history, `${night(3000)}\n${night(500, 900)}\n`);
    expect(alreadyInHistory(history, results)).toBe(false);
  });
});
