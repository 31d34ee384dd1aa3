/**
 * A single pass over a JSON text, before JSON.parse builds anything: the
 * deepest nesting of objects/arrays and the number of values. Refusing a body
 * here bounds what the parser, the validator and the mapper are asked to
 * walk (a 30 MB body of `[[[[...` or of a million tiny values).
 */

export interface JsonShape {
  readonly depth: number;
  /** Objects, arrays and scalars (an upper bound: separators and openings counted). */
  readonly values: number;
}

/** Measures `text`, stopping early once `limits` are exceeded (the answer is then above them). */
export function jsonShape(text: string, limits: { maxDepth: number; maxValues: number }): JsonShape {
  let depth = 0;
  let maxDepth = 0;
  let values = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) {
      inString = true;
    } else if (c === 123 || c === 91) {
      depth++;
      values++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === 125 || c === 93) {
      depth--;
    } else if (c === 44 || c === 58) {
      values++;
    } else continue;
    if (maxDepth > limits.maxDepth || values > limits.maxValues) break;
  }
  return { depth: maxDepth, values };
}
