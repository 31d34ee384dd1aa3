/**
 * Reads a raw HTTP message capture (start line, headers, empty line, body) as
 * found in the conformance corpus, so that its body can be fed to the readers.
 * Lines before the start line that are not headers (a proxy's
 * `DefaultHttpRequest(...)` banner, the request or status line) are kept in
 * `startLines`. CRLF and bare LF line ends are both accepted.
 */
export interface HttpCapture {
  readonly startLines: readonly string[];
  /** Headers by lower-cased name, values trimmed. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const HEADER = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/;

export function parseHttpCapture(bytes: Buffer): HttpCapture {
  const headers: Record<string, string> = {};
  const startLines: string[] = [];
  let pos = 0;
  for (;;) {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) throw new Error('HTTP capture: no empty line after the headers');
    const line = bytes.toString('latin1', pos, nl).replace(/\r$/, '');
    pos = nl + 1;
    if (line === '') return { startLines, headers, body: bytes.subarray(pos) };
    const m = HEADER.exec(line);
    if (m?.[1] && m[2] !== undefined) headers[m[1].toLowerCase()] = m[2].trim();
    else startLines.push(line);
  }
}
