/**
 * A declarative login script (PLEO_LOGIN_SCRIPT), for login screens none of the driver's built-in
 * strategies fits: a list of steps, each "when the page matches this: fill these fields, click
 * this, wait for that". It is validated as a whole before anything starts, so that a mistake in
 * it is one message naming every problem, not a login that fails half-way.
 */
import { parse } from 'yaml';

/** A page condition; every given part must hold. */
export interface PageMatch {
  /** Regular expression (case-insensitive) on the page's URL. */
  url?: string;
  /** CSS selector of an element that is visible. */
  selector?: string;
  /** Regular expression (case-insensitive) on the page's visible text. */
  text?: string;
}

/** A field found by its label (regular expression, case-insensitive) or by a CSS selector. */
export interface FieldTarget {
  label?: string;
  selector?: string;
}

export interface ScriptFill extends FieldTarget {
  /** A literal, with ${VARIABLE} placeholders (SCRIPT_VARIABLES). */
  value: string;
}

export interface ScriptStep {
  /** Names the step in messages. */
  name: string;
  when: PageMatch;
  fill: ScriptFill[];
  /** A button by its name (regular expression, case-insensitive), or any element by CSS selector. */
  click?: { button?: string; selector?: string };
  /** What shows that the step is done; without it, the page must navigate. */
  waitFor?: PageMatch;
}

/** What a script's values may refer to: the login settings, and the current TOTP code. */
export const SCRIPT_VARIABLES = ['PLEO_LOGIN_EMAIL', 'PLEO_LOGIN_PASSWORD', 'PLEO_LOGIN_PASSCODE', 'TOTP'] as const;
export type ScriptVariable = (typeof SCRIPT_VARIABLES)[number];

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** The ${…} names a value refers to. */
export function placeholders(value: string): string[] {
  return [...value.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** The value with every placeholder replaced (the names were validated when the script was read). */
export function substitute(value: string, lookup: (name: ScriptVariable) => string): string {
  return value.replace(PLACEHOLDER, (_m, name: ScriptVariable) => lookup(name));
}

const STEP_KEYS = ['name', 'when', 'fill', 'click', 'waitFor'];
const MATCH_KEYS = ['url', 'selector', 'text'];

type Problems = string[];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Record<string, unknown>, allowed: string[], where: string, problems: Problems): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`${where}: unknown key "${key}" (allowed: ${allowed.join(', ')})`);
}

function optionalString(value: Record<string, unknown>, key: string, where: string, problems: Problems): string | undefined {
  const v = value[key];
  if (v === undefined) return undefined;
  if (typeof v === 'string' && v.trim()) return v;
  problems.push(`${where}: "${key}" must be a non-empty string`);
  return undefined;
}

function regex(source: string | undefined, where: string, problems: Problems): void {
  if (source === undefined) return;
  try {
    new RegExp(source, 'i');
  } catch (error) {
    problems.push(`${where}: not a valid regular expression: ${(error as Error).message}`);
  }
}

function pageMatch(raw: unknown, where: string, problems: Problems): PageMatch {
  if (!isObject(raw)) {
    problems.push(`${where} must be an object with url, selector or text`);
    return {};
  }
  unknownKeys(raw, MATCH_KEYS, where, problems);
  const match: PageMatch = {
    url: optionalString(raw, 'url', where, problems),
    selector: optionalString(raw, 'selector', where, problems),
    text: optionalString(raw, 'text', where, problems),
  };
  if (!match.url && !match.selector && !match.text) problems.push(`${where} needs url, selector or text`);
  regex(match.url, `${where}.url`, problems);
  regex(match.text, `${where}.text`, problems);
  return match;
}

/** `available`: the variables that are set (TOTP when a TOTP secret is). */
function fills(raw: unknown, where: string, available: ReadonlySet<string>, problems: Problems): ScriptFill[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${where} must be a list of { label or selector, value }`);
    return [];
  }
  return raw.flatMap((item, i) => {
    const at = `${where}[${i + 1}]`;
    if (!isObject(item)) {
      problems.push(`${at} must be an object with label or selector, and value`);
      return [];
    }
    unknownKeys(item, ['label', 'selector', 'value'], at, problems);
    const label = optionalString(item, 'label', at, problems);
    const selector = optionalString(item, 'selector', at, problems);
    if (Boolean(label) === Boolean(selector)) problems.push(`${at} needs exactly one of label and selector`);
    regex(label, `${at}.label`, problems);
    if (typeof item.value !== 'string') {
      problems.push(`${at} needs a value (a string)`);
      return [];
    }
    for (const name of placeholders(item.value)) {
      if (!(SCRIPT_VARIABLES as readonly string[]).includes(name)) problems.push(`${at}: unknown variable \${${name}} (known: ${SCRIPT_VARIABLES.map((v) => `\${${v}}`).join(', ')})`);
      else if (!available.has(name)) problems.push(`${at} uses \${${name}}, which is not set${name === 'TOTP' ? ' (set PLEO_LOGIN_TOTP_SECRET)' : ''}`);
    }
    return [{ ...(label && { label }), ...(selector && { selector }), value: item.value }];
  });
}

function step(raw: unknown, index: number, available: ReadonlySet<string>, problems: Problems): ScriptStep | undefined {
  const where = `step ${index + 1}`;
  if (!isObject(raw)) {
    problems.push(`${where} must be an object (name, when, fill, click, waitFor)`);
    return undefined;
  }
  unknownKeys(raw, STEP_KEYS, where, problems);
  const name = optionalString(raw, 'name', where, problems);
  if (!name && raw.name === undefined) problems.push(`${where} needs a name`);
  const at = `${where} (${name ?? 'unnamed'})`;
  const when = pageMatch(raw.when, `${at}.when`, problems);
  const fill = fills(raw.fill, `${at}.fill`, available, problems);
  let click: ScriptStep['click'];
  if (raw.click !== undefined) {
    if (!isObject(raw.click)) problems.push(`${at}.click must be { button } or { selector }`);
    else {
      unknownKeys(raw.click, ['button', 'selector'], `${at}.click`, problems);
      click = { button: optionalString(raw.click, 'button', `${at}.click`, problems), selector: optionalString(raw.click, 'selector', `${at}.click`, problems) };
      if (Boolean(click.button) === Boolean(click.selector)) problems.push(`${at}.click needs exactly one of button and selector`);
      regex(click.button, `${at}.click.button`, problems);
    }
  }
  if (!fill.length && !click) problems.push(`${at} does nothing: give it fill, click or both`);
  const waitFor = raw.waitFor === undefined ? undefined : pageMatch(raw.waitFor, `${at}.waitFor`, problems);
  return { name: name ?? `step ${index + 1}`, when, fill, ...(click && { click }), ...(waitFor && { waitFor }) };
}

/**
 * Parses and validates a script (YAML, or JSON, which is YAML too). Returns the steps, or the
 * problems found; `available` names the variables that are set.
 */
export function parseLoginScript(text: string, available: ReadonlySet<string>): { steps: ScriptStep[]; problems: string[] } {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    return { steps: [], problems: [`not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`] };
  }
  if (!Array.isArray(raw) || raw.length === 0) return { steps: [], problems: ['must be a non-empty list of steps'] };
  const problems: Problems = [];
  const steps = raw.map((s, i) => step(s, i, available, problems)).filter((s): s is ScriptStep => s !== undefined);
  return { steps, problems };
}

/** Every CSS selector of a script, named for a message, for the preflight's validity check. */
export function scriptSelectors(steps: readonly ScriptStep[]): Record<string, string> {
  const named: Record<string, string> = {};
  steps.forEach((s, i) => {
    const at = `PLEO_LOGIN_SCRIPT step ${i + 1} (${s.name})`;
    if (s.when.selector) named[`${at} when.selector`] = s.when.selector;
    s.fill.forEach((f, j) => f.selector && (named[`${at} fill[${j + 1}].selector`] = f.selector));
    if (s.click?.selector) named[`${at} click.selector`] = s.click.selector;
    if (s.waitFor?.selector) named[`${at} waitFor.selector`] = s.waitFor.selector;
  });
  return named;
}
