/**
 * Lookups of a sender's value in a table keyed by the establishment's or the
 * volet's codes: only the table's own keys count, so a value such as
 * `constructor`, `toString` or `__proto__` finds nothing instead of an
 * Object.prototype member.
 */
export function own<T>(
  table: Readonly<Record<string, T>> | undefined,
  key: string | undefined,
): T | undefined {
  return table !== undefined && key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
