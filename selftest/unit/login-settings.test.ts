/** The login settings (support/config-login.ts) and the login script's validation (support/browser/login-script.ts). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSecret } from 'otplib';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseLoginScript, scriptSelectors, substitute } from '../../support/browser/login-script.ts';
import { readLoginSettings, registerLoginSecrets, savedSessionPath } from '../../support/config-login.ts';
import { clearSecretsForTesting, redact } from '../../support/secrets.ts';

const dir = mkdtempSync(join(tmpdir(), 'login-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => clearSecretsForTesting());

function read(env: Record<string, string>, saved?: Parameters<typeof readLoginSettings>[3]) {
  const problems: string[] = [];
  const get = (name: string) => env[name]?.trim() ?? '';
  const login = readLoginSettings(get, (name) => env[name] ?? '', problems, saved);
  return { login, problems };
}

const EMAIL = { PLEO_LOGIN_EMAIL: 'someone@example.test' };

describe('readLoginSettings', () => {
  it('needs a password unless a passcode, a script or a saved session logs in', () => {
    expect(read(EMAIL).problems).toEqual([expect.stringMatching(/^PLEO_LOGIN_PASSWORD is not set \(nor PLEO_LOGIN_PASSCODE or PLEO_LOGIN_SCRIPT\).*npm run login -- --env NAME$/)]);
    expect(read({ ...EMAIL, PLEO_LOGIN_PASSCODE: '1234' }).problems).toEqual([]);
    const file = join(dir, 'saved.json');
    writeFileSync(file, '{}');
    expect(read(EMAIL, { envName: 'staging', file }).login).toMatchObject({ savedSession: file, envName: 'staging' });
    // npm run login itself is about to save one.
    expect(read(EMAIL, { envName: 'staging', file: join(dir, 'none.json'), saving: true }).problems).toEqual([]);
    expect(read(EMAIL, { envName: 'staging', file: join(dir, 'none.json') }).problems[0]).toMatch(/npm run login -- --env staging$/);
  });

  it('normalises a TOTP seed shown in groups, and refuses one that is not base32 without printing it', () => {
    const seed = generateSecret();
    const grouped = seed.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect(read({ ...EMAIL, PLEO_LOGIN_PASSCODE: '1234', PLEO_LOGIN_TOTP_SECRET: grouped }).login.totpSecret).toBe(seed);
    const { problems } = read({ ...EMAIL, PLEO_LOGIN_PASSCODE: '1234', PLEO_LOGIN_TOTP_SECRET: 'not-base32-1890!' });
    expect(problems).toEqual([expect.stringMatching(/^PLEO_LOGIN_TOTP_SECRET is not a usable base32 TOTP seed: /)]);
    expect(problems[0]).not.toContain('NOTBASE32');
  });

  it('registers the password, the passcode and the TOTP seed for redaction', () => {
    const seed = generateSecret();
    registerLoginSecrets(read({ ...EMAIL, PLEO_LOGIN_PASSWORD: 'pass-word-1', PLEO_LOGIN_PASSCODE: '4821', PLEO_LOGIN_TOTP_SECRET: seed }).login);
    expect(redact(`pass-word-1 4821 ${seed}`)).toBe('[REDACTED:password] [REDACTED:passcode] [REDACTED:totp_secret]');
  });

  it('reads a script inline or from a file, and names the file in its problems', () => {
    const steps = '[{ "name": "next", "when": { "url": "/login" }, "click": { "button": "Next" } }]';
    expect(read({ ...EMAIL, PLEO_LOGIN_SCRIPT: steps }).login.script).toEqual([{ name: 'next', when: { url: '/login' }, fill: [], click: { button: 'Next' } }]);
    const file = join(dir, 'login.yaml');
    writeFileSync(file, '- name: next\n  when: { url: "(" }\n  click: { button: Next }\n');
    expect(read({ ...EMAIL, PLEO_LOGIN_PASSWORD: 'p', PLEO_LOGIN_SCRIPT: file }).problems).toEqual([expect.stringMatching(new RegExp(`^PLEO_LOGIN_SCRIPT \\(${file}\\): step 1 \\(next\\)\\.when\\.url: not a valid regular expression`))]);
    expect(read({ ...EMAIL, PLEO_LOGIN_PASSWORD: 'p', PLEO_LOGIN_SCRIPT: join(dir, 'missing.yaml') }).problems).toEqual([expect.stringMatching(/cannot read .*missing\.yaml: ENOENT/)]);
  });

  it('keeps the saved sessions in .auth/NAME.json of the env folder', () => {
    expect(savedSessionPath('/project', 'staging')).toBe('/project/.auth/staging.json');
  });
});

describe('parseLoginScript', () => {
  const all = new Set(['PLEO_LOGIN_EMAIL', 'PLEO_LOGIN_PASSCODE', 'TOTP']);

  it('takes a list of steps in YAML', () => {
    const { steps, problems } = parseLoginScript(`
- name: company picker
  when: { text: "choose a company" }
  fill:
    - { label: "^Company", value: "Acme \${PLEO_LOGIN_EMAIL}" }
    - { selector: "#code", value: "\${TOTP}" }
  click: { selector: "button.next" }
  waitFor: { url: "/consent" }
`, all);
    expect(problems).toEqual([]);
    expect(steps).toHaveLength(1);
    expect(scriptSelectors(steps)).toEqual({
      'PLEO_LOGIN_SCRIPT step 1 (company picker) fill[2].selector': '#code',
      'PLEO_LOGIN_SCRIPT step 1 (company picker) click.selector': 'button.next',
    });
    expect(substitute(steps[0].fill[0].value, (name) => (name === 'PLEO_LOGIN_EMAIL' ? 'me' : '?'))).toBe('Acme me');
  });

  it('names every problem, with its step', () => {
    const { problems } = parseLoginScript(`
- name: one
  when: { txt: "x" }
  fill: [{ label: "a", selector: "b", value: "\${PLEO_LOGIN_PASSWORD}" }]
- name: two
  when: { url: "/x" }
- when: { url: "/y" }
  click: { button: "(" }
  fill: [{ label: "c", value: "\${NOPE}" }]
`, all);
    expect(problems).toEqual([
      'step 1 (one).when: unknown key "txt" (allowed: url, selector, text)',
      'step 1 (one).when needs url, selector or text',
      'step 1 (one).fill[1] needs exactly one of label and selector',
      'step 1 (one).fill[1] uses ${PLEO_LOGIN_PASSWORD}, which is not set',
      'step 2 (two) does nothing: give it fill, click or both',
      'step 3 needs a name',
      'step 3 (unnamed).fill[1]: unknown variable ${NOPE} (known: ${PLEO_LOGIN_EMAIL}, ${PLEO_LOGIN_PASSWORD}, ${PLEO_LOGIN_PASSCODE}, ${TOTP})',
      expect.stringMatching(/^step 3 \(unnamed\)\.click\.button: not a valid regular expression/),
    ]);
  });

  it('refuses what is not a list of steps', () => {
    expect(parseLoginScript('{ a: 1 }', all).problems).toEqual(['must be a non-empty list of steps']);
    expect(parseLoginScript('[', all).problems).toEqual([expect.stringMatching(/^not valid YAML or JSON: /)]);
    expect(parseLoginScript('- name: x\n  when: { url: a }\n  click: { button: b }\n', new Set()).problems).toEqual([]);
    expect(parseLoginScript('- name: x\n  when: { url: a }\n  fill: [{ label: b, value: "${TOTP}" }]\n', new Set()).problems)
      .toEqual(['step 1 (x).fill[1] uses ${TOTP}, which is not set (set PLEO_LOGIN_TOTP_SECRET)']);
  });
});
