/** Spec references such as `RFC6749-5.1` or `RFC7636-B`, and the URLs of the clauses they name. */

export function clauseUrl(ref: string): string | undefined {
  const rfc = /^RFC(\d+)(?:-(.+))?$/.exec(ref);
  if (!rfc) return undefined;
  const [, number, clause] = rfc;
  const base = `https://www.rfc-editor.org/rfc/rfc${number}`;
  if (!clause) return base;
  return /^[A-Z](\.|$)/.test(clause) ? `${base}#appendix-${clause}` : `${base}#section-${clause}`;
}

/** `RFC6749-5.1` → `RFC 6749 §5.1`, the way people cite it. */
export function citation(ref: string): string {
  return ref
    .replace(/^RFC(\d+)-([A-Z](?:\..*)?)$/, 'RFC $1 Appendix $2')
    .replace(/^RFC(\d+)-(.+)$/, 'RFC $1 §$2')
    .replace(/^RFC(\d+)$/, 'RFC $1');
}
