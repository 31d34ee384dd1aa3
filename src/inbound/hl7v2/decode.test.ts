import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { located, rejection } from '../../../fixtures/hl7v2/context.ts';
import {
  charsetOf,
  decodeHl7,
  encodeHl7,
  escapeHl7,
  MSH18,
  STANDARD_ENCODING,
  unescapeHl7,
} from './decode.ts';
import { get, parseHl7, parseText } from './message.ts';

const enc = STANDARD_ENCODING;
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const MSH = (charset: string) => `MSH|^~\\&|A|B|C|D|20240101||MDM^T02^MDM_T02|1|P|2.6|||||FRA|${charset}`;

describe('unescapeHl7', () => {
  it('decodes delimiter escapes, hex bytes in the message charset and line breaks', () => {
    expect(unescapeHl7('DU\\S\\PONT\\T\\X\\F\\Y\\E\\Z\\R\\', enc, 'utf-8')).toBe('DU^PONT&X|Y\\Z~');
    expect(unescapeHl7('L\\XC3A9\\A', enc, 'utf-8')).toBe('LéA');
    expect(unescapeHl7('L\\XE9\\A', enc, 'iso-8859-1')).toBe('LéA');
    expect(unescapeHl7('C\\XBC\\UR', enc, 'iso-8859-15')).toBe('CŒUR');
    expect(unescapeHl7('ligne 1\\.br\\ligne 2', enc, 'utf-8')).toBe('ligne 1\nligne 2');
    expect(unescapeHl7('\\H\\gras\\N\\', enc, 'utf-8')).toBe('gras');
  });

  it('keeps unknown and unterminated sequences as written', () => {
    expect(unescapeHl7('a\\Q\\b', enc, 'utf-8')).toBe('a\\Q\\b');
    expect(unescapeHl7('a\\F', enc, 'utf-8')).toBe('a\\F');
  });

  it('uses the delimiters of the message', () => {
    const other = { field: '#', component: '@', repetition: '*', escape: '!', subcomponent: '%' };
    expect(unescapeHl7('A!S!B!E!', other, 'utf-8')).toBe('A@B!');
  });
});

describe('escapeHl7', () => {
  it('escapes the escape character first, then the delimiters, breaks and control characters', () => {
    expect(escapeHl7('a\\b|c^d&e~f')).toBe('a\\E\\b\\F\\c\\S\\d\\T\\e\\R\\f');
    expect(escapeHl7('l1\r\nl2\nl3')).toBe('l1\\.br\\l2\\.br\\l3');
    expect(escapeHl7('tab\there')).toBe('tab\\X09\\here');
  });

  it('round-trips any text without carriage return through unescapeHl7', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const value = text.replace(/\r\n?/g, '\n');
        expect(unescapeHl7(escapeHl7(value), enc, 'utf-8')).toBe(value);
      }),
    );
  });

  it('never lets a value open a field, component or segment', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(escapeHl7(text)).not.toMatch(/[|^~&\r\n]/);
      }),
    );
  });
});

describe('decodeHl7', () => {
  it('drops a UTF-8 BOM and turns LF, CRLF and CR separators into CR', () => {
    for (const sep of ['\n', '\r\n', '\r']) {
      const text = `${MSH('UNICODE UTF-8')}${sep}PID|1${sep}${sep}PV1|1${sep}`;
      const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...ascii(text)]);
      expect(decodeHl7(withBom).text).toBe(`${MSH('UNICODE UTF-8')}\rPID|1\rPV1|1`);
    }
  });

  it('reads 8859/15 and 8859/1 as declared in MSH-18', () => {
    const latin = (charset: string) =>
      Uint8Array.from([
        ...ascii(`${MSH(charset)}\rPID|||||C`),
        0xbc,
        ...ascii('UR^H'),
        0xc9,
        ...ascii('L'),
        0xc8,
        ...ascii('NE'),
      ]);
    const nine15 = parseHl7(latin('8859/15'));
    expect(nine15.charset).toBe('iso-8859-15');
    expect(get(nine15, nine15.segments[1], 5, 1)).toBe('CŒUR');
    expect(get(nine15, nine15.segments[1], 5, 2)).toBe('HÉLÈNE');
    const one = parseHl7(latin('8859/1'));
    expect(get(one, one.segments[1], 5, 1)).toBe('C¼UR');
  });

  it('reads a message without MSH-18 as UTF-8', () => {
    expect(decodeHl7(ascii('MSH|^~\\&|A|B\rPID|||||Zoé')).charset).toBe('utf-8');
  });

  it('names MSH-18 for an unknown charset, bytes invalid in the charset, non-ASCII bytes under ASCII', () => {
    expect(located(rejection(() => decodeHl7(ascii(`${MSH('UNICODE UTF-16')}\rPID|1`))))).toEqual([
      'MSH[1]-18 HL7_TABLE_VALUE',
    ]);
    const bad = Uint8Array.from([...ascii(`${MSH('UNICODE UTF-8')}\rPID|||||`), 0xff, 0xfe]);
    expect(located(rejection(() => decodeHl7(bad)))).toEqual(['MSH[1]-18 HL7_DATA_TYPE']);
    const accented = Uint8Array.from([...ascii(`${MSH('ASCII')}\rPID|||||`), 0xe9]);
    expect(located(rejection(() => decodeHl7(accented)))).toEqual(['MSH[1]-18 HL7_DATA_TYPE']);
  });

  it('refuses bytes that do not start with MSH, and control characters', () => {
    expect(located(rejection(() => decodeHl7(ascii('PID|1\rMSH|^~\\&'))))).toEqual([
      'MSH[1] HL7_SEGMENT_SEQUENCE',
    ]);
    expect(located(rejection(() => decodeHl7(new Uint8Array([0x00, 0x01, 0x02]))))).toEqual([
      'MSH[1] HL7_SEGMENT_SEQUENCE',
    ]);
    const nul = ascii(`${MSH('UNICODE UTF-8')}\rPID|1|\u0000\u0007`);
    expect(located(rejection(() => decodeHl7(nul)))).toEqual(['PID HL7_DATA_TYPE']);
  });
});

describe('parseText', () => {
  it('numbers segment occurrences and fields (MSH-1 is the separator)', () => {
    const msg = parseText(`${MSH('UNICODE UTF-8')}\rOBX|1|ED\rOBX|2|CWE`, 'utf-8', 'UNICODE UTF-8');
    expect(msg.segments.map((s) => `${s.name}[${s.occurrence}]`)).toEqual(['MSH[1]', 'OBX[1]', 'OBX[2]']);
    expect(get(msg, msg.segments[0], 1)).toBe('|');
    expect(get(msg, msg.segments[0], 2)).toBe('^~\\&');
    expect(get(msg, msg.segments[0], 9, 2)).toBe('T02');
    expect(get(msg, msg.segments[2], 2)).toBe('CWE');
  });

  it('refuses bad delimiters and lines that are not segments', () => {
    expect(located(rejection(() => parseText('MSH|^^\\&|A', 'utf-8', '')))).toEqual([
      'MSH[1]-2 HL7_DATA_TYPE',
    ]);
    expect(located(rejection(() => parseText('MSH|^~\\&|A\rhello world', 'utf-8', '')))).toEqual([
      'segment 2 HL7_SEGMENT_SEQUENCE',
    ]);
  });
});

describe('encodeHl7', () => {
  it('writes the charset of the message, replacing what it cannot hold', () => {
    expect([...encodeHl7('Œé€', 'iso-8859-15')]).toEqual([0xbc, 0xe9, 0xa4]);
    expect([...encodeHl7('é€', 'iso-8859-1')]).toEqual([0xe9, 0x3f]);
    expect([...encodeHl7('é', 'ascii')]).toEqual([0x3f]);
    expect(new TextDecoder().decode(encodeHl7('Accusé', 'utf-8'))).toBe('Accusé');
  });

  it('finds the charset of an MSH-18 value', () => {
    expect(charsetOf('8859/15')).toBe('iso-8859-15');
    expect(charsetOf(' unicode utf-8 ')).toBe('utf-8');
    expect(charsetOf('')).toBe('utf-8');
    expect(charsetOf('UNICODE UTF-16')).toBeUndefined();
    for (const [charset, name] of Object.entries(MSH18)) expect(charsetOf(name)).toBe(charset);
  });
});
