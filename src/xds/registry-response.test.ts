import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFile, SCHEMA, xsdErrors } from '../../test/support/xsd.ts';
import { GatewayError } from '../errors/catalogue.ts';
import { serialize } from '../xml/tree.ts';
import {
  buildRegistryResponse,
  NO_ERROR_GIVEN,
  parseRegistryResponse,
  type RegistryErrorEntry,
} from './registry-response.ts';

const corpus = (path: string): Buffer => readFileSync(corpusFile(path));

/** The SOAP part of a raw HTTP MTOM capture: from the XML declaration to the end of the envelope. */
function soapPartOf(http: Buffer): Buffer {
  const start = http.indexOf('<?xml');
  const endTag = '</soap:Envelope>';
  const end = http.indexOf(endTag, start);
  if (start < 0 || end < 0) throw new Error('no SOAP envelope in the capture');
  return http.subarray(start, end + endTag.length);
}

describe('parseRegistryResponse on the corpus', () => {
  it('NIST soap-pnr-resp.xml: Success inside a SOAP envelope, no error', () => {
    expect(parseRegistryResponse(corpus('xds/nist/soap-pnr-resp.xml'))).toEqual({
      status: 'Success',
      errors: [],
    });
  });

  it('eHealth Suisse ITI-41 response (XML part of the MTOM capture): Success', () => {
    const xml = soapPartOf(corpus('xds/ehealthsuisse/ITI-41_response_raw.http'));
    expect(parseRegistryResponse(new Uint8Array(xml))).toEqual({ status: 'Success', errors: [] });
  });

  it('NIST Bill-msg.xml: Failure with six metadata errors', () => {
    const result = parseRegistryResponse(corpus('xds/nist/Bill-msg.xml'));
    expect(result.status).toBe('Failure');
    expect(result.anomaly).toBeUndefined();
    expect(result.errors).toHaveLength(6);
    for (const e of result.errors) {
      expect(e).toMatchObject({
        errorCode: 'XDSRegistryMetadataError',
        location: 'CodeValidation',
        severity: 'Error',
      });
    }
    expect(result.errors[0]?.codeContext).toBe(
      'DocumentEntry(urn:uuid:2afa3e71-46b2-490b-9350-822644809838): the code 1.3.6.1.4.1.21367.100.1(DEMO-Procedure) is not found in the Affinity Domain configuration',
    );
  });

  it('NIST regresp-suc-err.xml (inconsistent): Success with an Error is read as Failure, flagged', () => {
    const result = parseRegistryResponse(corpus('xds/nist/regresp-suc-err.xml'));
    expect(result.status).toBe('Failure');
    expect(result.anomaly).toBe('SuccessWithError');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      errorCode: 'XDSUnknownPatientId',
      codeContext: 'XDS Unknown Patient Id: PatientId 777 is not known to the Registry',
      severity: 'Error',
    });
    expect(result.errors[0]?.location).toMatch(
      /^gov\.nist\.registry\.ws\.SubmitObjectsRequest\.validate_patient_id/,
    );
  });

  it('NIST regresp-fail-noerr.xml (inconsistent): Failure without error stays Failure with a synthetic error', () => {
    expect(parseRegistryResponse(corpus('xds/nist/regresp-fail-noerr.xml'))).toEqual({
      status: 'Failure',
      anomaly: 'FailureWithoutError',
      errors: [{ errorCode: NO_ERROR_GIVEN, codeContext: expect.any(String), severity: 'Error' }],
    });
  });
});

describe('parseRegistryResponse edge cases', () => {
  const rs = (body: string, status = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success'): string =>
    `<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="${status}">${body}</rs:RegistryResponse>`;

  it('keeps Success with warnings as Success', () => {
    const xml = rs(
      '<rs:RegistryErrorList><rs:RegistryError errorCode="XDSExtraMetadataNotSaved" codeContext="ignored" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"/></rs:RegistryErrorList>',
    );
    expect(parseRegistryResponse(xml)).toEqual({
      status: 'Success',
      errors: [{ errorCode: 'XDSExtraMetadataNotSaved', codeContext: 'ignored', severity: 'Warning' }],
    });
  });

  it('reads a RegistryError without severity as an Error (rs.xsd default)', () => {
    const xml = rs(
      '<rs:RegistryErrorList><rs:RegistryError errorCode="XDSRegistryBusy" codeContext="busy"/></rs:RegistryErrorList>',
      'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
    );
    expect(parseRegistryResponse(xml)).toEqual({
      status: 'Failure',
      errors: [{ errorCode: 'XDSRegistryBusy', codeContext: 'busy', severity: 'Error' }],
    });
  });

  it('reads PartialSuccess', () => {
    const xml = rs(
      '<rs:RegistryErrorList><rs:RegistryError errorCode="XDSRegistryError" codeContext="x" location="doc2"/></rs:RegistryErrorList>',
      'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
    );
    expect(parseRegistryResponse(xml).status).toBe('PartialSuccess');
    expect(parseRegistryResponse(xml).errors[0]?.location).toBe('doc2');
  });

  it('refuses an unknown status, a SOAP Fault and a non-response', () => {
    expect(() => parseRegistryResponse(rs('', 'urn:example:Maybe'))).toThrow(GatewayError);
    const fault =
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><s:Fault><s:Code><s:Value>s:Receiver</s:Value></s:Code></s:Fault></s:Body></s:Envelope>';
    expect(() => parseRegistryResponse(fault)).toThrow(/RegistryResponse/);
    expect(() => parseRegistryResponse('<a/>')).toThrow(GatewayError);
  });
});

describe('buildRegistryResponse', () => {
  const errors: RegistryErrorEntry[] = [
    {
      errorCode: 'XDSUnknownPatientId',
      codeContext: 'unknown patient <INS> & co',
      severity: 'Error',
      location: 'ITI-41',
    },
    { errorCode: 'XDSExtraMetadataNotSaved', codeContext: 'ignored', severity: 'Warning' },
  ];

  it.each([
    ['Failure', errors],
    ['PartialSuccess', errors],
    ['Success', [errors[1]!]],
    ['Success', []],
  ] as const)('%s validates against the schema and parses back to itself', (status, list) => {
    const xml = serialize(buildRegistryResponse(status, list), { declaration: true });
    expect(xsdErrors(xml, SCHEMA.xdsRepository)).toEqual([]);
    expect(parseRegistryResponse(xml)).toEqual({ status, errors: list });
  });

  it('sets highestSeverity', () => {
    expect(serialize(buildRegistryResponse('Failure', errors))).toContain(
      'highestSeverity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"',
    );
    expect(serialize(buildRegistryResponse('Success', [errors[1]!]))).toContain(
      'highestSeverity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning"',
    );
  });

  it('refuses the combinations IHE forbids', () => {
    expect(() => buildRegistryResponse('Success', errors)).toThrow(/warnings only/);
    expect(() => buildRegistryResponse('Failure', [])).toThrow(/at least one Error/);
    expect(() => buildRegistryResponse('Failure', [errors[1]!])).toThrow(/at least one Error/);
  });
});
