/**
 * The shape of a JSON body: its keys, JSON types and array counts, without its values, so that
 * evidence of a resource-API call shows what came back without the personal data it holds, e.g.
 * `{ data: [4 × { id: string, email: string }], pagination: { hasNextPage: boolean, total: number } }`.
 */

/** Protocol vocabulary: values a reader needs, which hold no personal data. */
const KEPT_VALUES = new Set(['error', 'error_description', 'error_uri', 'authMethod', 'scope', 'status']);

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function keyOf(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

export function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    const kinds = [...new Set(value.map(shapeOf))];
    return `[${value.length} × ${kinds.length === 1 ? kinds[0] : `(${kinds.join(' | ')})`}]`;
  }
  if (typeof value === 'object') {
    const members = Object.entries(value).map(([key, member]) =>
      `${keyOf(key)}: ${KEPT_VALUES.has(key) && isPrimitive(member) ? JSON.stringify(member) : shapeOf(member)}`);
    return members.length ? `{ ${members.join(', ')} }` : '{}';
  }
  return typeof value;
}
