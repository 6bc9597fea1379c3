import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Level } from '../../support/check.ts';
import { finishAllureResults, writeRunContext, type ResultFile } from '../../support/reporting/allure-results.ts';
import type { CheckResult, Status } from '../../support/reporting/checks-reporter.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';

let dir: string;
beforeEach(() => {
  clearSecretsForTesting();
  dir = mkdtempSync(join(tmpdir(), 'allure-results-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A result file as allure-vitest writes it, with the labels check() adds. */
function writeResult(id: string, level: Level, status: string, statusDetails: Record<string, string> = {}): string {
  const file = `${id}-result.json`;
  const result = {
    uuid: id, name: `${id} a title`, status, statusDetails, stage: 'finished', steps: [], attachments: [], parameters: [], links: [],
    labels: [{ name: 'checkId', value: id }, { name: 'level', value: level }, { name: 'severity', value: level === 'MUST' ? 'critical' : 'normal' }, { name: 'tag', value: level }],
  };
  writeFileSync(join(dir, file), JSON.stringify(result));
  return file;
}
const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as ResultFile;
const label = (result: ResultFile, name: string) => result.labels.filter((l) => l.name === name).map((l) => l.value);
const check = (id: string, level: Level, status: Status, extra: Partial<CheckResult> = {}): CheckResult => ({
  id, title: 'a title', level, refs: [], name: `${id} a title`, file: 'f', status, details: [], durationMs: 0, ...extra,
});

describe('finishAllureResults', () => {
  it('gives each verdict its status, message, verdict label and description', () => {
    const files = {
      failure: writeResult('TK-04', 'MUST', 'broken', { message: 'reusable', trace: 'at x', expected: '400', actual: '200' }),
      infra: writeResult('TK-01', 'MUST', 'broken', { message: 'fetch failed', trace: 'at y' }),
      warning: writeResult('SC-06', 'SHOULD', 'passed'),
      skipped: writeResult('AK-01', 'MUST', 'skipped'),
      info: writeResult('MD-01', 'INFO', 'passed'),
      review: writeResult('AZ-05', 'MUST', 'passed'),
      success: writeResult('PK-03', 'MUST', 'passed'),
    };
    finishAllureResults(dir, [
      check('TK-04', 'MUST', 'FAILURE', { failure: 'assertion', details: ['reusable', 'warning: w'] }),
      check('TK-01', 'MUST', 'FAILURE', { failure: 'infrastructure', details: ['fetch failed'] }),
      check('SC-06', 'SHOULD', 'WARNING', { details: ['must answer 403'] }),
      check('AK-01', 'MUST', 'SKIPPED', { details: ['PLEO_API_KEY is not set'] }),
      check('MD-01', 'INFO', 'INFO', { details: ['codes live 600 s'] }),
      check('AZ-05', 'MUST', 'REVIEW', { details: ['judge the error page'] }),
      check('PK-03', 'MUST', 'SUCCESS'),
    ]);
    const failure = read(files.failure);
    expect(failure.status).toBe('failed');
    expect(failure.statusDetails).toEqual({ message: 'reusable\nwarning: w', trace: 'at x', expected: '400', actual: '200' });
    expect(label(failure, 'verdict')).toEqual(['FAILURE']);
    expect(read(files.infra)).toMatchObject({ status: 'broken', statusDetails: { message: 'fetch failed', trace: 'at y' } });

    const warning = read(files.warning);
    expect(warning).toMatchObject({ status: 'passed', statusDetails: { message: 'must answer 403' } });
    expect(warning.description).toBe('**Verdict: WARNING**\n\n```text\nmust answer 403\n```');
    expect(label(warning, 'verdict')).toEqual(['WARNING']);

    expect(read(files.skipped)).toMatchObject({ status: 'skipped', statusDetails: { message: 'PLEO_API_KEY is not set' } });
    expect(read(files.skipped).description).toBeUndefined();
    expect(read(files.info)).toMatchObject({ status: 'passed', statusDetails: { message: 'codes live 600 s' } });
    expect(read(files.review)).toMatchObject({ status: 'unknown', statusDetails: { message: 'judge the error page' } });
    expect(read(files.review).description).toContain('**Verdict: REVIEW**');
    expect(read(files.success)).toMatchObject({ status: 'passed', statusDetails: {} });
    expect(read(files.success).description).toBeUndefined();
  });

  it('an expected FAILURE stays failed but known (Allure: accepted); an expected WARNING passes; both say why', () => {
    const failure = writeResult('CA-03', 'MUST', 'broken', { message: 'answers 400', trace: 't' });
    const warning = writeResult('SC-06', 'SHOULD', 'passed');
    finishAllureResults(dir, [
      check('CA-03', 'MUST', 'EXPECTED', { failure: 'assertion', details: ['answers 400'], expected: { as: 'FAILURE', reason: 'ticket 7' } }),
      check('SC-06', 'SHOULD', 'EXPECTED', { details: ['must answer 403'], expected: { as: 'WARNING', reason: 'gateway' } }),
    ], { expectedFailuresFile: 'expected-failures/staging.json' });
    expect(read(failure)).toMatchObject({
      status: 'failed',
      statusDetails: { known: true, trace: 't', message: 'Expected FAILURE (expected-failures/staging.json): ticket 7\nanswers 400' },
    });
    expect(label(read(failure), 'verdict')).toEqual(['EXPECTED']);
    expect(read(warning)).toMatchObject({ status: 'passed', statusDetails: { message: 'Expected WARNING (expected-failures/staging.json): gateway\nmust answer 403' } });
  });

  it('a fixed entry is labelled and explained', () => {
    const file = writeResult('CA-03', 'MUST', 'passed');
    finishAllureResults(dir, [check('CA-03', 'MUST', 'SUCCESS', { fixed: true, expected: { as: 'FAILURE', reason: 'old' } })], { expectedFailuresFile: 'x.json' });
    expect(label(read(file), 'fixed')).toEqual(['true']);
    expect(read(file).statusDetails.message).toBe('Fixed: x.json lists this check as FAILURE (old), but it passes now. Remove it from the list.');
  });

  it('a PROFILE check is critical when it fails and normal when it passes or warns', () => {
    const failing = writeResult('RT-02', 'PROFILE', 'broken');
    const expected = writeResult('RT-03', 'PROFILE', 'broken');
    const warning = writeResult('RT-09', 'PROFILE', 'passed');
    finishAllureResults(dir, [
      check('RT-02', 'PROFILE', 'FAILURE', { failure: 'assertion' }),
      check('RT-03', 'PROFILE', 'EXPECTED', { failure: 'assertion', expected: { as: 'FAILURE', reason: 'r' } }),
      check('RT-09', 'PROFILE', 'WARNING', { details: ['w'] }),
    ]);
    expect(label(read(failing), 'severity')).toEqual(['critical']);
    expect(label(read(expected), 'severity')).toEqual(['critical']);
    expect(label(read(warning), 'severity')).toEqual(['normal']);
  });

  it('redacts what it writes, and leaves results of no check alone', () => {
    registerSecret('s3cr3t-value', 'client_secret');
    const file = writeResult('TK-04', 'MUST', 'broken', { message: 'm', trace: 'at s3cr3t-value' });
    writeFileSync(join(dir, 'other-result.json'), JSON.stringify({ name: 'not a check', labels: [], status: 'passed' }));
    finishAllureResults(dir, [check('TK-04', 'MUST', 'FAILURE', { failure: 'assertion', details: ['got s3cr3t-value'] })]);
    expect(readFileSync(join(dir, file), 'utf8')).not.toContain('s3cr3t-value');
    expect(read('other-result.json')).toEqual({ name: 'not a check', labels: [], status: 'passed' });
  });
});

describe('writeRunContext', () => {
  it('writes environment.properties, escaped the way Allure reads it, redacted', () => {
    registerSecret('s3cr3t-value', 'client_secret');
    writeRunContext(dir, { target: 'local[code-reusable]', 'profile.rotation': 'grace:30', note: 'two\nlines \\ s3cr3t-value', 'a key': ' lead' });
    expect(readFileSync(join(dir, 'environment.properties'), 'utf8')).toBe([
      'target=local[code-reusable]',
      'profile.rotation=grace:30',
      'note=two\\nlines \\\\ [REDACTED:client_secret]',
      'a\\ key=\\ lead',
      '',
    ].join('\n'));
    expect(readdirSync(dir)).toEqual(['environment.properties']);
  });
});
