/**
 * The GitHub workflows: valid for GitHub Actions (its own parser, which also checks every
 * expression), and true to the project's rules: secrets only from `secrets.` and only into the
 * step that runs the suite, artifacts and caches that never take env files, .auth/ or the
 * self-test's ledger, read-only permissions, a timeout on every job, pinned actions.
 * Each rule is shown to catch a workflow that breaks it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (file: string) => readFileSync(join(WORKFLOWS, file), 'utf8');

// Loaded through tsx: the parser imports its schema as a JSON module without the import attribute
// that Node's ESM loader (and so Vitest's, for node_modules) requires.
const parser = tsImport('@actions/workflow-parser', import.meta.url) as Promise<typeof import('@actions/workflow-parser')>;

/** GitHub's own verdict: schema and expression errors, from parsing and from conversion. */
async function githubErrors(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await parser;
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length || !parsed.value) return errors.length ? errors : [`${name}: empty workflow`];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

type Fields = Record<string, unknown>;
interface Step extends Fields { name?: string; uses?: string; run?: string; if?: string; with?: Fields; env?: Fields }
interface Job extends Fields { steps?: Step[]; env?: Fields; permissions?: unknown; 'timeout-minutes'?: unknown }
interface Workflow extends Fields { on?: Fields; env?: Fields; permissions?: unknown; jobs: Record<string, Job> }

/** Where a path would take a credential: env files, the saved browser session, the self-test's ledger. */
const CREDENTIAL_PATH = /(^|\/)\.env|(^|\/)\.auth(\/|$)|ledger/;
/** A path that takes everything below it (and so, one day, a file nobody meant to publish). */
const SWEEPING_PATH = /^(\.\/?|\*+|\.\/\*+|~)$/;
const PINNED_ACTION = /^[\w.-]+\/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/;
const SECRET_EXPRESSION = /\$\{\{\s*secrets\.(\w+)\s*\}\}/;

const pathLines = (value: unknown) => String(value ?? '').split('\n').map((l) => l.trim()).filter(Boolean);

/** Every way `doc` breaks the project's rules, as "job/step: problem". */
function ruleProblems(doc: Workflow): string[] {
  const problems: string[] = [];
  if (doc.on && 'pull_request_target' in doc.on) problems.push('on: pull_request_target runs a stranger\'s code with this repository\'s secrets');
  if (JSON.stringify(doc.permissions) !== JSON.stringify({ contents: 'read' })) problems.push('permissions: must be exactly { contents: read }');
  if (doc.env && SECRET_EXPRESSION.test(JSON.stringify(doc.env))) problems.push('env: a secret in the workflow-wide env reaches every step');
  for (const [jobId, job] of Object.entries(doc.jobs)) {
    const timeout = job['timeout-minutes'];
    if (typeof timeout !== 'number' || timeout <= 0 || timeout > 180) problems.push(`${jobId}: timeout-minutes must be set (1–180)`);
    if (job.permissions !== undefined) problems.push(`${jobId}: permissions are granted once, read-only, for the whole workflow`);
    if (job.env && SECRET_EXPRESSION.test(JSON.stringify(job.env))) problems.push(`${jobId}: a secret in the job's env reaches every step`);
    for (const [index, step] of (job.steps ?? []).entries()) {
      const where = `${jobId}/${step.name ?? step.uses ?? `step ${index + 1}`}`;
      if (step.uses && !step.uses.startsWith('./') && !PINNED_ACTION.test(step.uses)) problems.push(`${where}: pin the action to a major version or a commit`);
      if (step.uses?.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) {
        problems.push(`${where}: checkout must not leave the token in .git/config (persist-credentials: false)`);
      }
      if (/secrets\./.test(JSON.stringify({ run: step.run, with: step.with, if: step.if }))) {
        problems.push(`${where}: secrets go into the step's env only, never into run, with or if`);
      }
      for (const [name, value] of Object.entries(step.env ?? {})) {
        const secret = SECRET_EXPRESSION.exec(String(value));
        if (/secrets\./.test(String(value)) && (!secret || String(value).trim() !== secret[0])) problems.push(`${where}: ${name} must be exactly \${{ secrets.${name} }}`);
        else if (secret && secret[1] !== name) problems.push(`${where}: ${name} takes secrets.${secret[1]}: the names must match`);
        else if (name.startsWith('PLEO_') && !secret) problems.push(`${where}: ${name} is set in the workflow: settings belong in .env.NAME, credentials in secrets`);
      }
      const uploads = step.uses?.startsWith('actions/upload-artifact@');
      const caches = step.uses?.startsWith('actions/cache');
      if (uploads || caches) {
        for (const path of pathLines(step.with?.path)) {
          if (path.startsWith('!')) continue;
          if (CREDENTIAL_PATH.test(path)) problems.push(`${where}: ${path} would publish credentials`);
          if (SWEEPING_PATH.test(path)) problems.push(`${where}: ${path} takes everything; list what to keep`);
        }
        if (step.with?.['include-hidden-files'] === true) problems.push(`${where}: hidden files (.env.*, .auth/) must never be uploaded`);
      }
    }
  }
  return problems;
}

const workflow = (file: string) => parse(read(file)) as Workflow;

describe('the workflows', () => {
  it('are nightly.yml and selftest.yml', () => {
    expect(files).toEqual(['nightly.yml', 'selftest.yml']);
  });

  it.each(files)('%s is valid for GitHub Actions, expressions included', async (file) => {
    expect(await githubErrors(file, read(file))).toEqual([]);
  }, 30_000);

  it.each(files)('%s keeps the project\'s rules', (file) => {
    expect(ruleProblems(workflow(file))).toEqual([]);
  });

  it.each(files)('%s: every run script is valid bash (the shell both workflows set)', (file) => {
    const doc = workflow(file);
    expect(doc.defaults).toEqual({ run: { shell: 'bash' } });
    const scripts = Object.values(doc.jobs).flatMap((job) => (job.steps ?? []).flatMap((s) => (s.run ? [s.run] : [])));
    for (const script of scripts) expect(spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' }).stderr, script).toBe('');
  });

  it('GitHub\'s parser rejects a broken workflow (the validation is live)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    timeout-minutes: soon\n    steps:\n      - run: echo ${{ secretz.X }}\n';
    const errors = await githubErrors('broken.yml', broken);
    expect(errors.join('\n')).toMatch(/Unexpected value 'soon'/);
    expect(errors.join('\n')).toMatch(/Unrecognized named-value: 'secretz'/);
  }, 30_000);
});

describe('nightly.yml', () => {
  const doc = workflow('nightly.yml');
  const job = doc.jobs.conformance;
  const steps = job.steps ?? [];
  const step = (pattern: RegExp) => steps.find((s) => pattern.test(`${s.name ?? ''} ${s.uses ?? ''} ${s.run ?? ''}`));
  const suite = step(/npm test/)!;

  it('runs every night and on demand', () => {
    expect(doc.on).toHaveProperty('schedule');
    expect(doc.on).toHaveProperty('workflow_dispatch');
  });

  it('runs one job per registration, each with its GitHub environment and its .env file', () => {
    const envs = (job.strategy as { matrix: { env: string[] } }).matrix.env;
    expect(envs.length).toBeGreaterThan(0);
    expect(job.environment).toBe('${{ matrix.env }}');
    for (const env of envs) expect(existsSync(join(ROOT, `.env.${env}`)), `.env.${env}`).toBe(true);
  });

  it('gives the suite every credential a local run reads from .env.staging.local, from secrets', () => {
    const credentials = [...readFileSync(join(ROOT, '.env.staging.local.example'), 'utf8').matchAll(/^(PLEO_\w+)=/gm)].map((m) => m[1]);
    expect(credentials.length).toBeGreaterThan(3);
    for (const name of credentials) expect(suite.env?.[name], name).toBe(`\${{ secrets.${name} }}`);
  });

  it('fails on the suite\'s exit code, yet reports, summarises, uploads and keeps the history', () => {
    expect(suite['continue-on-error']).toBeUndefined();
    const after = steps.slice(steps.indexOf(suite) + 1);
    expect(after.map((s) => s.if)).toEqual(after.map(() => 'always()'));
    for (const pattern of [/npm run report/, /summary/, /upload-artifact/, /cache\/save/]) expect(step(pattern), String(pattern)).toBeDefined();
  });

  it('uploads the report, checks.json and junit.xml', () => {
    const paths = pathLines(step(/upload-artifact/)?.with?.path);
    expect(paths).toEqual(expect.arrayContaining(['allure-report/index.html', 'reports/checks.json', 'reports/junit.xml']));
  });

  it('restores and saves the same history (Allure\'s history and the previous checks.json) per registration', () => {
    const restore = step(/cache\/restore/)!.with!;
    const save = step(/cache\/save/)!.with!;
    expect(pathLines(restore.path)).toEqual(['allure-history', 'previous-run']);
    expect(save.path).toEqual(restore.path);
    expect(save.key).toEqual(restore.key);
    expect(restore.key).toContain('${{ matrix.env }}');
    expect(step(/summary/)?.run).toContain('--previous previous-run/checks.json');
    expect(steps.indexOf(step(/cache\/restore/)!)).toBeLessThan(steps.indexOf(suite));
  });
});

describe('selftest.yml', () => {
  const doc = workflow('selftest.yml');

  it('runs npm run selftest on every push and pull request, without any secret', () => {
    expect(Object.keys(doc.on ?? {}).sort()).toEqual(['pull_request', 'push']);
    expect(read('selftest.yml')).not.toMatch(/secrets\./);
    expect(doc.jobs.selftest.steps?.some((s) => s.run === 'npm run selftest')).toBe(true);
  });
});

describe('the rules catch', () => {
  const base = (): Workflow => ({
    on: { push: null },
    permissions: { contents: 'read' },
    jobs: { a: { 'timeout-minutes': 10, steps: [{ uses: 'actions/checkout@v5', with: { 'persist-credentials': false } }] } },
  });
  const withStep = (step: Step, change: (doc: Workflow) => void = () => {}) => {
    const doc = base();
    doc.jobs.a.steps!.push(step);
    change(doc);
    return ruleProblems(doc);
  };

  it('nothing in a workflow that keeps them', () => {
    expect(withStep({ run: 'npm test', env: { PLEO_CLIENT_SECRET: '${{ secrets.PLEO_CLIENT_SECRET }}' } })).toEqual([]);
  });

  it.each([
    ['a secret in a run script', { run: 'npm test ${{ secrets.PLEO_CLIENT_SECRET }}' }, /never into run/],
    ['a secret in an action\'s input', { uses: 'some/action@v1', with: { token: '${{ secrets.PLEO_API_KEY }}' } }, /never into run, with or if/],
    ['a secret under another name', { run: 'x', env: { PLEO_API_KEY: '${{ secrets.PLEO_CLIENT_SECRET }}' } }, /names must match/],
    ['a secret inside a longer value', { run: 'x', env: { PLEO_API_KEY: 'key-${{ secrets.PLEO_API_KEY }}' } }, /must be exactly/],
    ['a credential written in the workflow', { run: 'x', env: { PLEO_CLIENT_SECRET: 'hunter2hunter2' } }, /settings belong in \.env\.NAME/],
    ['an uploaded env file', { uses: 'actions/upload-artifact@v6', with: { path: 'reports/\n.env.staging.local' } }, /would publish credentials/],
    ['an uploaded browser session', { uses: 'actions/upload-artifact@v6', with: { path: '.auth/' } }, /would publish credentials/],
    ['an uploaded ledger', { uses: 'actions/upload-artifact@v6', with: { path: 'reports/selftest/clean/ledger.txt' } }, /would publish credentials/],
    ['an upload of everything', { uses: 'actions/upload-artifact@v6', with: { path: '.' } }, /takes everything/],
    ['hidden files uploaded', { uses: 'actions/upload-artifact@v6', with: { path: 'reports/', 'include-hidden-files': true } }, /hidden files/],
    ['a cached env file', { uses: 'actions/cache@v5', with: { path: '.env.staging.local', key: 'k' } }, /would publish credentials/],
    ['an unpinned action', { uses: 'actions/setup-node@main' }, /pin the action/],
  ] as [string, Step, RegExp][])('%s', (_what, step, problem) => {
    expect(withStep(step).join('\n')).toMatch(problem);
  });

  it('an exclusion is not an upload', () => {
    expect(withStep({ uses: 'actions/upload-artifact@v6', with: { path: 'reports/\n!reports/**/ledger.txt' } })).toEqual([]);
  });

  it('write permissions, a job\'s own grant, a missing timeout', () => {
    const doc = base();
    doc.permissions = { contents: 'write' };
    doc.jobs.a.permissions = { issues: 'write' };
    delete doc.jobs.a['timeout-minutes'];
    expect(ruleProblems(doc)).toEqual([
      'permissions: must be exactly { contents: read }',
      'a: timeout-minutes must be set (1–180)',
      'a: permissions are granted once, read-only, for the whole workflow',
    ]);
  });

  it('secrets in a workflow-wide or job-wide env, a checkout that keeps its token, pull_request_target with secrets', () => {
    const doc = base();
    doc.on = { pull_request_target: null };
    doc.env = { PLEO_CLIENT_SECRET: '${{ secrets.PLEO_CLIENT_SECRET }}' };
    doc.jobs.a.env = { PLEO_API_KEY: '${{ secrets.PLEO_API_KEY }}' };
    doc.jobs.a.steps![0].with = {};
    expect(ruleProblems(doc)).toEqual([
      'on: pull_request_target runs a stranger\'s code with this repository\'s secrets',
      'env: a secret in the workflow-wide env reaches every step',
      'a: a secret in the job\'s env reaches every step',
      'a/actions/checkout@v5: checkout must not leave the token in .git/config (persist-credentials: false)',
    ]);
  });
});

describe('the README\'s notification example', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const snippet = /### A notification on failure[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

  it('added at the end of the nightly job, keeps the workflow valid and within the rules', async () => {
    expect(snippet).toMatch(/^ {6}- name: /);
    const extended = `${read('nightly.yml').trimEnd()}\n${snippet}`;
    expect(await githubErrors('nightly.yml', extended)).toEqual([]);
    expect(ruleProblems(parse(extended) as Workflow)).toEqual([]);
  }, 30_000);
});
