/**
 * Inputs and outputs of the feeding decision [DOMAIN.md §9]: what the
 * pipeline gathers about one document, and the explainable decision stored
 * on its submission (rule ids, CME references, the input fields used).
 */
import type { Code, Confidentiality, IdentityStatus } from '../model/types.ts';

/** DMP state from TD0.2 (src/dmp/td02.ts `DmpState`), or `unknown` when it was not asked. */
export type DmpStatus = 'active' | 'closed' | 'absent' | 'unknown';

export const DMP_STATUSES: readonly DmpStatus[] = ['active', 'closed', 'absent', 'unknown'];

/** Everything `decide` looks at, for one document. No names, no INS. */
export interface DecisionContext {
  /** Decision time (ISO 8601). */
  readonly now: string;
  readonly document: {
    /** DMP typeCode (after mapping). */
    readonly typeCode: Code;
    /** Local type as sent, when the mapping translated it. */
    readonly localType?: string;
    /** Local unit code (SourceFacts.unit). */
    readonly unit?: string;
    /** Specialties of the authors and of the unit (mapping `units.<u>.specialty`). */
    readonly specialties: readonly Code[];
    /** National ids of the authors (`8<RPPS>`, software author ids). */
    readonly authorIds: readonly string[];
    /** eventCodeList (diagnoses, acts). */
    readonly eventCodes: readonly Code[];
    readonly confidentiality: Confidentiality;
    /** Document date (ISO 8601): base of holds and of the patient's age. */
    readonly creationTime: string;
  };
  readonly patient: {
    /** The submission carries an INS. */
    readonly hasIns: boolean;
    /** INS identity status; only `VALI` may be sent (undefined: unknown). */
    readonly identityStatus?: IdentityStatus;
    /** `YYYYMMDD` (or `YYYYMM`, `YYYY`): used for the age, never reported. */
    readonly birthDate?: string;
    /** PAM-FR ZFA-9 opposition; undefined when no ADT told the gateway. */
    readonly opposedToFeeding?: boolean;
  };
  /** HL7 `DESTDMP` (true when absent, and for FHIR/XDS). */
  readonly toDmp: boolean;
  /** TD0.2 answer, cached by the caller. */
  readonly dmp: DmpStatus;
}

export type HardBlock =
  | 'patient-opposed'
  | 'identity-not-qualified'
  | 'restricted-confidentiality'
  | 'not-for-dmp'
  | 'dmp-closed'
  | 'dmp-absent';

/**
 * One input field of a decision. `value` is never patient data: codes of
 * the document, the unit, author ids and flags are shown; event codes
 * (diagnoses) are shown as `present`; the age as the side of the rule's
 * bound it fell on (`<18`, `≥18`), not as a number.
 */
export interface DecisionInput {
  readonly field: string;
  readonly value: string;
}

export interface Reason {
  readonly effect: 'block' | 'exclude' | 'include' | 'modify' | 'default' | 'note';
  readonly ruleId?: string;
  readonly cmeRef?: string;
  readonly hardBlock?: HardBlock;
  /** Human-readable explanation. */
  readonly text: string;
  readonly inputs: readonly DecisionInput[];
}

/** Default visibility flags set by rules: the ids of the rules that set each one (empty: not set). */
export interface RuleVisibility {
  readonly hiddenFromPatient: readonly string[];
  readonly maskedFromProfessionals: readonly string[];
}

export const NO_RULE_VISIBILITY: RuleVisibility = { hiddenFromPatient: [], maskedFromProfessionals: [] };

export interface Decision {
  /** `hold`: send later, once `holdUntil` is past and (with `holdEvent`) the event came or `holdEventDeadline` is past. */
  readonly action: 'feed' | 'hold' | 'skip';
  /** Earliest sending time (ISO 8601), when a rule delays the document. */
  readonly holdUntil?: string;
  /** Event the document waits for (e.g. `announcement`). */
  readonly holdEvent?: string;
  /** When waiting for `holdEvent` stops anyway (ISO 8601). */
  readonly holdEventDeadline?: string;
  readonly visibilityDefaults: RuleVisibility;
  readonly reasons: readonly Reason[];
  /** Version of the rules file used (absent with the implicit rules). */
  readonly rulesVersion?: string;
}
