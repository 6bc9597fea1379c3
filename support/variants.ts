/**
 * Wrong values derived from right ones, for negative probes that must catch loose comparisons:
 * a server that compares only a prefix, or ignores case, accepts a value that is *almost* right,
 * while a random value would be refused even by that broken comparison. Each works on any value,
 * whatever it looks like. Derived values are secrets too (they reveal most of the original).
 */
import { registerSecret } from './secrets.ts';

/** The value with its last character replaced: refused only by a comparison of the whole value. */
export function nearMiss(value: string): string {
  const last = value.at(-1);
  return registerSecret(`${value.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`, 'derived');
}

/** The value with the case of every letter swapped; undefined when it has no letter to swap. */
export function swappedCase(value: string): string | undefined {
  const swapped = [...value].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  return swapped === value ? undefined : registerSecret(swapped, 'derived');
}
