/**
 * Reading an ITI-18 `query:AdhocQueryRequest` (ITI TF-2a §3.18.4.1.2):
 * return type, stored query id and parameters, with the IHE value coding
 * of §3.18.4.1.2.3.5 (single values quoted `'value'`, lists `('a','b')`,
 * possibly spread over several `rim:Value`, `''` escaping a quote).
 */
import { GatewayError } from '../errors/catalogue.ts';
import { asArray, attr, parseXml, textOf, type XmlObject } from '../xml/parse.ts';

export interface AdhocQuery {
  readonly returnType: string;
  readonly queryId: string;
  /** Parameter name → raw `rim:Value` texts. */
  readonly params: ReadonlyMap<string, readonly string[]>;
}

/** Parses the request; throws GatewayError INVALID_INPUT when it is not one. */
export function readAdhocQuery(xml: string): AdhocQuery {
  const root = parseXml(xml, { arrays: ['Slot', 'Value'] });
  const request = root.AdhocQueryRequest as XmlObject | undefined;
  const query = request?.AdhocQuery as XmlObject | undefined;
  if (!request || !query) {
    throw new GatewayError('INVALID_INPUT', [
      { code: 'INVALID_INPUT', path: '/', message: 'not an AdhocQueryRequest with an AdhocQuery' },
    ]);
  }
  const params = new Map<string, string[]>();
  for (const slot of asArray(query.Slot as XmlObject[] | undefined)) {
    const name = attr(slot, 'name') ?? '';
    const values = asArray((slot.ValueList as XmlObject | undefined)?.Value).map((v) => textOf(v) ?? '');
    params.set(name, [...(params.get(name) ?? []), ...values]);
  }
  return {
    returnType: attr(request.ResponseOption, 'returnType') ?? 'RegistryObject',
    queryId: attr(query, 'id') ?? '',
    params,
  };
}

/** Splits one coded value on commas outside quotes; drops the list parentheses and the quotes. */
function tokens(value: string): string[] {
  let text = value.trim();
  if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'") {
      if (quoted && text[i + 1] === "'") {
        current += "'";
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '' || out.length > 0) out.push(current.trim());
  return out.filter((t) => t !== '');
}

/** Every value of a parameter, across its `rim:Value` elements. */
export function paramValues(raw: readonly string[] | undefined): string[] {
  return (raw ?? []).flatMap(tokens);
}

/** `code^^scheme` (ITI TF-2a §3.18.4.1.2.3.5 coded values) → [code, scheme]. */
export function codedParam(value: string): { code: string; scheme: string } | undefined {
  const [code, , scheme, ...rest] = value.split('^');
  if (!code || !scheme || rest.length > 0) return undefined;
  return { code, scheme };
}
