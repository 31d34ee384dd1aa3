/**
 * The visibility policy (src/policy/visibility.ts) applied to each document
 * of a submission about to be sent, with the facts the pipeline knows
 * besides the document: the rules' default flags, the minor's secrecy
 * request (API), what earlier versions keep (a minor's secrecy, an
 * operator's mask), whether the announcement took place (event, or this is
 * the gateway's release), and the rules file's options (`releaseAfterDays`,
 * `minors.secretConnection`). Returns the submission with its final flags,
 * what the VIHF needs, and what is recorded as sent.
 */
import type { KeptFlags } from '../lifecycle/kept.ts';
import type { DocumentEntry, Submission } from '../model/types.ts';
import { type VisibilityOptions, type VisibilityResult, visibility } from '../policy/visibility.ts';
import { isMinorAt } from '../rules/age.ts';
import type { RulesInput } from '../rules/decide.ts';
import { NO_RULE_VISIBILITY, type RuleVisibility } from '../rules/types.ts';
import type { SentVisibility } from '../store/records.ts';

/** Facts about a submission kept outside its payload. */
export interface VisibilityFacts {
  /** The minor asked for secrecy through the API. */
  readonly secrecyRequested: boolean;
  /** Whether an event of `type` was received for one of these documents. */
  hasEvent(type: string, uniqueIds: readonly (string | undefined)[]): Promise<boolean>;
  /** What the earlier versions keep for a sender's new version (src/lifecycle/kept.ts); absent: nothing. */
  kept?(document: DocumentEntry): Promise<KeptFlags>;
}

export const NO_FACTS: VisibilityFacts = { secrecyRequested: false, hasEvent: async () => false };

/** The policy options of a rules file (implicit rules: the legal month, connexion secrète on). */
export function visibilityOptions(rules: RulesInput | undefined): VisibilityOptions {
  const data = rules?.data;
  return {
    releaseAfterDays: data?.announcement?.releaseAfterDays,
    secretConnectionForMinorSecrecy: data?.minors?.secretConnection ?? true,
  };
}

export interface SubmissionVisibility {
  readonly submission: Submission;
  readonly results: readonly VisibilityResult[];
  /** Any document needs the VIHF "connexion secrète" (one VIHF per deposit). */
  readonly secretConnection: boolean;
  readonly sent: readonly SentVisibility[];
}

/**
 * Applies the policy to every document. `released`: this deposit is the
 * announcement release itself (INVISIBLE_PATIENT is over whatever the date).
 */
export async function applyVisibility(
  submission: Submission,
  context: {
    readonly ruleDefaults?: readonly RuleVisibility[];
    readonly facts: VisibilityFacts;
    readonly options: VisibilityOptions;
    readonly now: Date;
    readonly released?: boolean;
  },
): Promise<SubmissionVisibility> {
  const results: VisibilityResult[] = [];
  for (const [i, doc] of submission.documents.entries()) {
    const announced =
      context.released === true ||
      (await context.facts.hasEvent('announcement', [doc.id.root, doc.replaces?.uniqueId]));
    const kept = context.facts.kept ? await context.facts.kept(doc) : undefined;
    results.push(
      visibility({
        confidentiality: doc.confidentiality,
        sender: doc.visibility,
        senderSecretConnection: doc.secretConnection === true,
        secrecyRequested: context.facts.secrecyRequested || kept?.secrecy === true,
        maskKept: kept?.masked === true,
        rules: context.ruleDefaults?.[i] ?? NO_RULE_VISIBILITY,
        minor: isMinorAt(submission.patient.birthDate, doc.creationTime) ?? true,
        announcementReleased: announced,
        creationTime: doc.creationTime,
        now: context.now.toISOString(),
        options: context.options,
      }),
    );
  }
  const documents = submission.documents.map((doc, i) => ({ ...doc, visibility: results[i]!.flags }));
  return {
    submission: { ...submission, documents },
    results,
    secretConnection: results.some((r) => r.secretConnection),
    sent: documents.map((doc, i) => ({
      uniqueId: doc.id.root,
      flags: doc.visibility,
      secretConnection: results[i]!.secretConnection,
      ...(results[i]!.releaseAt && { releaseAt: results[i]!.releaseAt }),
    })),
  };
}
