import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexPath, loadProfiles, profileSnapshot, validateStructure } from './profiles.ts';

const FSH_URL = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/';

describe('profiles/ and their snapshots', () => {
  it('every profile file chains to an R4 base and every differential path exists', () => {
    const files = readdirSync(new URL('../../../profiles/', import.meta.url)).filter((f) =>
      f.endsWith('.json'),
    );
    expect(files.length).toBeGreaterThanOrEqual(11);
    for (const url of loadProfiles().keys()) {
      const snapshot = profileSnapshot(url);
      expect(snapshot.snapshot?.element.length, url).toBeGreaterThan(10);
    }
  });

  it('applies the chain: R4 → MHD Minimal → MHD Comprehensive → PDSm', () => {
    const els = profileSnapshot(`${FSH_URL}pdsm-comprehensive-document-reference`).snapshot!.element;
    const at = (path: string) => els.find((e) => e.path === path && !e.sliceName);
    expect(at('DocumentReference.masterIdentifier')?.min).toBe(1); // MHD Minimal
    expect(at('DocumentReference.content.attachment.data')?.max).toBe('0'); // MHD Minimal, expanded from Attachment
    expect(at('DocumentReference.context.facilityType')?.min).toBe(1); // MHD Comprehensive
    expect(at('DocumentReference.custodian')?.min).toBe(1); // PDSm
    expect(at('DocumentReference.context.period.start')?.min).toBe(1); // PDSm, expanded from Period
  });

  it('reports violations with paths re-rooted in the bundle', () => {
    const doc = JSON.parse(
      readFileSync(new URL('../../../fixtures/fhir/documentreference-pdf.json', import.meta.url), 'utf8'),
    );
    delete doc.custodian;
    const issues = validateStructure(
      doc,
      'Bundle.entry[1].resource',
      `${FSH_URL}pdsm-comprehensive-document-reference`,
    );
    const paths = issues.map((i) => i.path);
    expect(paths).toContain('Bundle.entry[1].resource.custodian');
    expect(paths).toContain('Bundle.entry[1].resource.content[0].attachment.data'); // data 0..0 in MHD
    expect(paths).toContain('Bundle.entry[1].resource.content[0].attachment.url'); // url 1..1 in MHD
    expect(paths).toContain('Bundle.entry[1].resource.content[0].format'); // MHD Comprehensive format 1..1
  });

  it('base R4 validation names the bad element', () => {
    const issues = validateStructure(
      { resourceType: 'Binary', contentType: 1 } as never,
      'Bundle.entry[2].resource',
    );
    expect(issues.map((i) => i.path)).toContain('Bundle.entry[2].resource.contentType');
  });

  it('indexPath adds the [0] of single-element arrays on the way', () => {
    const r = { content: [{ attachment: { data: 'x' } }], author: [{}, {}] };
    expect(indexPath(r, 'DocumentReference.content.attachment.data')).toBe(
      'DocumentReference.content[0].attachment.data',
    );
    expect(indexPath(r, 'DocumentReference.author')).toBe('DocumentReference.author');
    expect(indexPath(r, 'DocumentReference.content[0].attachment')).toBe(
      'DocumentReference.content[0].attachment',
    );
  });
});
