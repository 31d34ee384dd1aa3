/**
 * Cost limits of a received SOAP message, checked in one linear pass before
 * any parser builds a tree: nesting depth and number of elements (a billion
 * tiny elements or a pathological depth would otherwise cost memory and time
 * in the validator, the scanner and the ebRIM parser). DOCTYPE and entity
 * declarations are refused by the XML readers themselves (src/xml/parse.ts).
 * Comments, CDATA sections, processing instructions and quoted attribute
 * values are skipped as tokens; a malformed tail is left to the parser.
 */

export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
}

/** What the pass found, when a limit is exceeded. */
export interface LimitExceeded {
  readonly limit: 'depth' | 'elements';
  readonly message: string;
}

/** End of the start tag opened at `at` (index after `>`), skipping quoted values; -1 if unterminated. */
function tagEnd(text: string, at: number): number {
  let quote = '';
  for (let i = at + 1; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return i + 1;
  }
  return -1;
}

function skipTo(text: string, from: number, end: string): number {
  const at = text.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

/** Checks `text` against `limits`; undefined when within them. */
export function exceededLimit(text: string, limits: XmlLimits): LimitExceeded | undefined {
  let depth = 0;
  let elements = 0;
  let pos = 0;
  while (pos >= 0 && pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) pos = skipTo(text, lt + 4, '-->');
    else if (text.startsWith('<![CDATA[', lt)) pos = skipTo(text, lt + 9, ']]>');
    else if (text.startsWith('<?', lt)) pos = skipTo(text, lt + 2, '?>');
    else if (text[lt + 1] === '!') pos = tagEnd(text, lt);
    else if (text[lt + 1] === '/') {
      depth -= 1;
      pos = skipTo(text, lt, '>');
    } else {
      pos = tagEnd(text, lt);
      elements += 1;
      if (elements > limits.maxElements) {
        return { limit: 'elements', message: `the message has more than ${limits.maxElements} elements` };
      }
      if (pos > 0 && text[pos - 2] !== '/') {
        depth += 1;
        if (depth > limits.maxDepth) {
          return { limit: 'depth', message: `elements are nested deeper than ${limits.maxDepth}` };
        }
      }
    }
  }
  return undefined;
}
