import { describe, expect, it } from 'vitest';
import { newDocumentInput, replacementInput } from '../xds/deposit-fixtures.ts';
import { asSent, sentDocument, sentFacts, submissionAsSent } from './sent-version.ts';

const replacement = replacementInput().submission;
const doc = replacement.documents[0]!;
const GATEWAY_VERSION = { uniqueId: '1.2.250.1.999.9.9', entryUUID: 'urn:uuid:gateway-version' };

/** The same submission as the ordering step sends it: following the gateway's version, one higher. */
const followed = {
  ...replacement,
  documents: [
    {
      ...doc,
      versionNumber: doc.versionNumber + 1,
      replaces: { ...GATEWAY_VERSION, cdaId: { root: GATEWAY_VERSION.uniqueId } },
    },
  ],
};

const record = {
  documents: [
    {
      uniqueId: doc.id.root,
      entryUUID: doc.entryUUID,
      setId: doc.setId,
      versionNumber: doc.versionNumber,
      typeCode: doc.typeCode,
      replaces: doc.replaces!.uniqueId,
    },
  ],
};

describe('the version sent', () => {
  it('is recorded with the visibility, or the flags as they go when no policy computed them', () => {
    const [sent] = sentFacts(followed, undefined, true);
    expect(sent).toEqual({
      uniqueId: doc.id.root,
      flags: doc.visibility,
      secretConnection: true,
      versionNumber: doc.versionNumber + 1,
      entryUUID: doc.entryUUID,
      replaces: GATEWAY_VERSION,
    });
    const flags = {
      hiddenFromPatient: true,
      hiddenFromLegalRepresentatives: false,
      maskedFromProfessionals: true,
    };
    const policy = [
      { uniqueId: doc.id.root, flags, secretConnection: false, releaseAt: '2030-01-01T00:00:00Z' },
    ];
    expect(sentFacts(followed, policy, true)[0]).toMatchObject({ ...policy[0], replaces: GATEWAY_VERSION });
  });

  it('a new document records no replaced entry', () => {
    expect(sentFacts(newDocumentInput().submission, undefined, false)[0]!.replaces).toBeUndefined();
  });

  it("overrides the record's version and replaced document", () => {
    const sent = sentFacts(followed, undefined, false);
    expect(asSent({ sent }, record.documents[0]!)).toEqual({
      ...record.documents[0],
      versionNumber: doc.versionNumber + 1,
      replaces: GATEWAY_VERSION.uniqueId,
    });
    expect(sentDocument({ record: record as never, sent }, doc.id.root)?.versionNumber).toBe(
      doc.versionNumber + 1,
    );
    expect(sentDocument({ record: record as never, sent }, 'another')).toBeUndefined();
  });

  it("gives the stored submission the version that went, and leaves an old record's as it is", () => {
    const sent = sentFacts(followed, undefined, false);
    expect(submissionAsSent(replacement, sent).documents[0]).toEqual(followed.documents[0]);
    const old = [{ uniqueId: doc.id.root, flags: doc.visibility, secretConnection: false }];
    expect(submissionAsSent(replacement, old)).toBe(replacement);
    expect(asSent({ sent: old }, record.documents[0]!)).toBe(record.documents[0]);
    expect(asSent({}, record.documents[0]!)).toBe(record.documents[0]);
  });
});
