/**
 * Scans a run's artifacts (console log, Allure results, JUnit, checks.json) for secrets in
 * clear: every value the stand-in issued or generated (its ledger), in the usual encodings,
 * whole or as any piece of FRAGMENT or more characters; and for the stand-in's personal data.
 *
 * It keeps its own encoding and search code on purpose: it audits support/secrets.ts, so it must
 * not share that module's mistakes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The shortest piece of a secret that counts as a leak. */
export const FRAGMENT = 12;

export interface Leak {
  file: string;
  kind: 'secret' | 'personal-data';
  /** Which entry leaked, by position in its list (the ledger, or the personal data): never the value itself. */
  entry: number;
  form: string;
}

/** The forms in which a secret could appear in an artifact. */
export function leakForms(secret: string): Array<[form: string, value: string]> {
  return [
    ['clear', secret],
    ['url-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ v: secret }).toString().slice(2)],
    ['base64', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
    ['json-escaped', JSON.stringify(secret).slice(1, -1)],
  ];
}

function filesBelow(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesBelow(join(path, name)));
}

export function readLedger(file: string): string[] {
  return [...new Set(readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length >= 8))];
}

/**
 * The personal data of a JSON file of people (an array, or one person): e-mails, first, last and
 * full names. Names shorter than 4 characters are left out: they would match ordinary words.
 */
export function readPersonalData(file: string): string[] {
  const people = [JSON.parse(readFileSync(file, 'utf8')) as unknown].flat() as Array<Record<string, unknown>>;
  const values = people.flatMap(({ email, firstName, lastName }) =>
    [email, firstName, lastName, firstName && lastName ? `${firstName} ${lastName}` : undefined]);
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 4))];
}

/** One encoded form of one entry, as it would look in a file read as latin1. */
interface Needle {
  kind: Leak['kind'];
  entry: number;
  form: string;
  text: string;
}

const latin1 = (value: string) => Buffer.from(value, 'utf8').toString('latin1');

/** Long secrets are found by any FRAGMENT-long piece; the rest only whole. */
const byPieces = (needle: Needle) => needle.kind === 'secret' && needle.text.length >= FRAGMENT;

// A polynomial hash of FRAGMENT characters, rolled one character at a time (mod 2^32).
const BASE = 257;
const BASE_POWER = Array.from({ length: FRAGMENT - 1 }).reduce<number>((power) => Math.imul(power, BASE), 1);

function hashAt(text: string, at: number): number {
  let hash = 0;
  for (let i = at; i < at + FRAGMENT; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

function rolled(hash: number, text: string, at: number): number {
  return (Math.imul(hash - Math.imul(text.charCodeAt(at - 1), BASE_POWER), BASE) + text.charCodeAt(at + FRAGMENT - 1)) | 0;
}

/**
 * Every FRAGMENT-long window of every needle found by pieces, in an open-addressing hash table
 * (typed arrays: a ledger of hundreds of 1 KB tokens has about a million windows).
 */
interface WindowTable {
  mask: number;
  hashes: Int32Array;
  /** Needle index + 1 (0: empty slot), and the window's offset in that needle. */
  needles: Int32Array;
  offsets: Int32Array;
}

function windowTable(needles: Needle[]): WindowTable {
  const count = needles.filter(byPieces).reduce((sum, n) => sum + n.text.length - FRAGMENT + 1, 0);
  const size = 2 ** Math.ceil(Math.log2(Math.max(2, count * 2)));
  const table: WindowTable = { mask: size - 1, hashes: new Int32Array(size), needles: new Int32Array(size), offsets: new Int32Array(size) };
  needles.forEach((needle, n) => {
    if (!byPieces(needle)) return;
    let hash = hashAt(needle.text, 0);
    for (let at = 0; at + FRAGMENT <= needle.text.length; at++) {
      if (at > 0) hash = rolled(hash, needle.text, at);
      let slot = hash & table.mask;
      while (table.needles[slot]) slot = (slot + 1) & table.mask;
      table.hashes[slot] = hash;
      table.needles[slot] = n + 1;
      table.offsets[slot] = at;
    }
  });
  return table;
}

function sameWindow(text: string, at: number, needle: string, offset: number): boolean {
  for (let i = 0; i < FRAGMENT; i++) if (text.charCodeAt(at + i) !== needle.charCodeAt(offset + i)) return false;
  return true;
}

const isWordChar = (text: string, i: number) => /\w/.test(text[i] ?? '');

/** Personal data counts only as a whole word ("Dana", not "Danavej"); a short secret counts anywhere. */
function containsWhole(text: string, needle: Needle): boolean {
  for (let at = text.indexOf(needle.text); at >= 0; at = text.indexOf(needle.text, at + 1)) {
    if (needle.kind === 'secret' || (!isWordChar(text, at - 1) && !isWordChar(text, at + needle.text.length))) return true;
  }
  return false;
}

/** The needles found in `text`, by index. */
function needlesIn(text: string, needles: Needle[], table: WindowTable): Set<number> {
  const found = new Set<number>();
  needles.forEach((needle, n) => {
    if (!byPieces(needle) && containsWhole(text, needle)) found.add(n);
  });
  if (text.length < FRAGMENT) return found;
  const { mask, hashes, needles: refs, offsets } = table;
  let hash = hashAt(text, 0);
  for (let at = 0; at + FRAGMENT <= text.length; at++) {
    if (at > 0) hash = rolled(hash, text, at);
    for (let slot = hash & mask; refs[slot]; slot = (slot + 1) & mask) {
      const n = refs[slot] - 1;
      if (hashes[slot] === hash && !found.has(n) && sameWindow(text, at, needles[n].text, offsets[slot])) found.add(n);
    }
  }
  return found;
}

/**
 * Personal data is looked for whole (its pieces are ordinary words or shared domains), in clear
 * and in the encodings of URLs and JSON; not in base64, where a short name matches by chance.
 */
function needlesOf(secrets: string[], personalData: string[]): Needle[] {
  const needles: Needle[] = [];
  // Forms that look alike are one needle, named after the first (a token is often its own url-encoding).
  const add = (kind: Leak['kind'], entry: number, forms: Array<[string, string]>) => {
    const distinct = new Map<string, string>();
    for (const [form, text] of forms) if (!distinct.has(latin1(text))) distinct.set(latin1(text), form);
    for (const [text, form] of distinct) needles.push({ kind, entry, form, text });
  };
  secrets.forEach((secret, entry) => add('secret', entry, leakForms(secret).filter(([, text]) => text.length >= 8)));
  personalData.forEach((value, entry) => add('personal-data', entry, leakForms(value).filter(([form]) => form !== 'base64')));
  return needles;
}

/**
 * Every leak in the files below `paths`: a piece of FRAGMENT or more characters of a secret in
 * one of its forms, or a personal-data value (for the stand-in: `readPersonalData` of its people).
 */
export function scanForLeaks(paths: string[], secrets: string[], personalData: string[] = []): { leaks: Leak[]; filesScanned: number } {
  const files = paths.flatMap(filesBelow);
  const needles = needlesOf(secrets, personalData);
  const table = windowTable(needles);
  const leaks: Leak[] = [];
  for (const file of files) {
    // Screenshots are binary: their secrets would be pixels, which the driver masks instead.
    if (file.endsWith('.png')) continue;
    for (const n of needlesIn(readFileSync(file, 'latin1'), needles, table)) {
      const { kind, entry, form } = needles[n];
      leaks.push({ file, kind, entry, form });
    }
  }
  return { leaks, filesScanned: files.length };
}
