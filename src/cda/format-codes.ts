/**
 * XDS formatCode of a CDA document (DOMAIN.md §3): for an N1 document from its
 * `nonXMLBody/text/@mediaType`, for a structured (N3) document from the CI-SIS
 * model templateId.
 *
 * Source of every row of {@link CDA_MODEL_FORMAT_CODES}: ANS ConceptMap
 * ASS_A11-CorresModeleCDA-XdsFormatCode-CISIS v5.0.0 (2026-02-10), published in
 * the ANS "Terminologies de Santé" IG v1.6.0 (repo ansforge/IG-terminologie-de-sante;
 * an older `input/fsh/ASS-A11-CorresModeleCDA-XdsFormatCode-CISIS.fsh` also maps
 * `.10`, `.20`, `.48`–`.50`, left out here, and lacks the rows marked [A11-2026]).
 * Display names: JDV_J60-FormatCode-DMP (same IG). Group TRE_A06 codes use
 * scheme `1.2.250.1.213.1.1.4.2.282`, group TRE_A11 codes `1.3.6.1.4.1.19376.1.2.3`.
 */
import type { Code } from '../model/types.ts';
import { N1_FORMAT_CODE, OID } from '../model/vocabulary.ts';

const a06 = (code: string, displayName: string): Code => ({
  code,
  codeSystem: OID.formatCodeComplementaryScheme,
  displayName,
});
const a11 = (code: string, displayName?: string): Code =>
  displayName === undefined
    ? { code, codeSystem: OID.formatCodeScheme }
    : { code, codeSystem: OID.formatCodeScheme, displayName };
const apsr = (organ: string): Code => a11(`urn:ihe:pat:apsr:${organ}:2010`);

/** CI-SIS / IHE model templateId → formatCode [ASS_A11 v5.0.0]. */
export const CDA_MODEL_FORMAT_CODES: Readonly<Record<string, Code>> = {
  // Group TRE_R220 → TRE_A06-FormatCodeComplementaire
  '1.2.250.1.213.1.1.1.5.1': a06(
    'urn:asip:ci-sis:cse-cs8:2017',
    "Certificat de santé du 8ème jour de l'enfant",
  ),
  '1.2.250.1.213.1.1.1.5.2': a06(
    'urn:asip:ci-sis:cse-cs9:2017',
    "Certificat de santé du 9ème mois de l'enfant",
  ),
  '1.2.250.1.213.1.1.1.5.3': a06(
    'urn:asip:ci-sis:cse-cs24:2017',
    "Certificat de santé du 24ème mois de l'enfant",
  ),
  '1.2.250.1.213.1.1.1.5.4': a06('urn:ans:ci-sis:cse-mde:2023', 'Mesures de signes vitaux'),
  '1.2.250.1.213.1.1.1.8': a06(
    'urn:asip:ci-sis:frcp:2011',
    'Fiche de réunion de concertation pluridisciplinaire',
  ),
  '1.2.250.1.213.1.1.1.9': a06(
    'urn:asip:ci-sis:idap:2011',
    'Information et directives anticipées du patient',
  ),
  '1.2.250.1.213.1.1.1.12.1': a06('urn:asip:ci-sis:obp-sap:2023', 'Synthèse antepartum'),
  '1.2.250.1.213.1.1.1.12.2': a06('urn:asip:ci-sis:obp-snm:2023', 'Synthèse Salle de Naissance Mère'),
  '1.2.250.1.213.1.1.1.12.3': a06('urn:asip:ci-sis:obp-sne:2023', 'Synthèse Salle de Naissance Enfant'),
  '1.2.250.1.213.1.1.1.12.4': a06('urn:asip:ci-sis:obp-scm:2023', 'Synthèse Suites de Couches Mère'),
  '1.2.250.1.213.1.1.1.12.5': a06('urn:asip:ci-sis:obp-sem:2023', 'Synthèse Enfant en Maternité'),
  '1.2.250.1.213.1.1.1.13': a06('urn:asip:ci-sis:vsm:2012', 'Synthèse médicale'),
  '1.2.250.1.213.1.1.1.15': a06('urn:asip:ci-sis:aunv:2013', "Fiche d'admission en unité neuro-vasculaire"),
  '1.2.250.1.213.1.1.1.16': a06(
    'urn:asip:ci-sis:eunv:2013',
    "Fiche d'épisode de soin en unité neuro-vasculaire",
  ),
  '1.2.250.1.213.1.1.1.17': a06('urn:asip:ci-sis:sunv:2013', "Fiche de sortie d'unité neuro-vasculaire"),
  '1.2.250.1.213.1.1.1.18': a06('urn:asip:ci-sis:crrtn:2013', 'Compte-rendu de rétinographie'),
  '1.2.250.1.213.1.1.1.2.1.1': a06(
    'urn:asip:ci-sis:avk:2009',
    'Fiche patient à risque en cardiologie - Traitement AVK',
  ),
  '1.2.250.1.213.1.1.1.2.1.2': a06(
    'urn:asip:ci-sis:tap:2009',
    'Fiche patient à risque en cardiologie - Traitement antiagrégant plaquettaire, stent',
  ),
  '1.2.250.1.213.1.1.1.2.1.3': a06(
    'urn:asip:ci-sis:dci:2009',
    'Fiche patient à risque en cardiologie - Défibrillateur cardiaque interne',
  ),
  '1.2.250.1.213.1.1.1.2.1.4': a06(
    'urn:asip:ci-sis:psc:2009',
    "Fiche patient à risque en cardiologie - Porteur d'un stimulateur cardiaque",
  ),
  '1.2.250.1.213.1.1.1.2.1.5': a06(
    'urn:asip:ci-sis:ppv:2009',
    "Fiche patient à risque en cardiologie - Porteur d'une prothèse valvulaire",
  ),
  '1.2.250.1.213.1.1.1.21': a06(
    'urn:asip:ci-sis:ldl-ees:2017',
    "Lettre de Liaison à l'entrée d'un établissement de santé",
  ),
  '1.2.250.1.213.1.1.1.22': a06('urn:asip:ci-sis:dlu:2015', "Document de liaison d'urgence"),
  '1.2.250.1.213.1.1.1.23': a06(
    'urn:asip:ci-sis:fludt:2017',
    "Fiche de liaison d'urgence - Transfert de l'EHPAD vers les urgences",
  ),
  '1.2.250.1.213.1.1.1.24': a06(
    'urn:asip:ci-sis:fludr:2017',
    "Fiche de liaison d'urgence - Retour des urgences vers l'EHPAD",
  ),
  '1.2.250.1.213.1.1.1.25': a06(
    'urn:asip:ci-sis:pavc:2016',
    "Compte-rendu de consultation d'évaluation pluri-professionnelle post AVC",
  ),
  '1.2.250.1.213.1.1.1.26': a06(
    'urn:asip:ci-sis:pps-cancer:2017',
    'Programme Personnalisé de Soins - Cancer',
  ),
  '1.2.250.1.213.1.1.1.27': a06(
    'urn:asip:ci-sis:d2lm-fin:2017',
    "Seconde lecture de mammographie - Fiche d'interprétation nationale",
  ),
  '1.2.250.1.213.1.1.1.28': a06(
    'urn:asip:ci-sis:d2lm-fidd:2017',
    "Seconde lecture de mammographie - Fiche d'interprétation du bilan de diagnostic différé",
  ),
  '1.2.250.1.213.1.1.1.29': a06(
    'urn:asip:ci-sis:ldl-ses:2017',
    "Lettre de Liaison à la sortie de l'établissement de santé",
  ),
  '1.2.250.1.213.1.1.1.30': a06('urn:asip:ci-sis:sdm-mr:2017', 'Set de Données Minimum - Maladies Rares'),
  '1.2.250.1.213.1.1.1.32': a06('urn:asip:ci-sis:crgm:2018', 'Compte rendu de génétique moléculaire'),
  '1.2.250.1.213.1.1.1.36': a06('urn:asip:ci-sis:hr:2019', 'Données de remboursement'),
  '1.2.250.1.213.1.1.1.37': a06('urn:asip:ci-sis:vac:2019', 'Historique des vaccinations'),
  '1.2.250.1.213.1.1.1.38': a06('urn:asip:ci-sis:tlm-da:2020', "Demande d'acte de télémédecine"),
  '1.2.250.1.213.1.1.1.40': a06('urn:asip:ci-sis:cr-anest:2020', "Compte rendu d'anesthésie"),
  '1.2.250.1.213.1.1.1.41': a06(
    'urn:asip:ci-sis:cr-cpa:2020',
    'Compte rendu de consultation pré-anesthésique',
  ),
  '1.2.250.1.213.1.1.1.46': a06('urn:asip:ci-sis:vac-note:2021', 'Note de vaccination'),
  '1.2.250.1.213.1.1.1.47': a06('urn:ans:ci-sis:img-da:2022', "Demande d'actes d'imagerie"),
  '1.2.250.1.213.1.1.1.52': a06(
    'urn:ans:ci-sis:bio-ep-bio:2022',
    "Prescription d'actes de biologie médicale",
  ),
  '1.2.250.1.213.1.1.1.56': a06('urn:asip:ci-sis:ppp:2023', 'Plan personnalisé de prévention'),
  '1.2.250.1.213.1.1.1.58': a06('urn:asip:ci-sis:export-dui:2023', 'Export du Dossier Usager informatisé'),
  '1.2.250.1.213.1.1.1.59': a06('urn:ans:ci-sis:trod:2024', "Test rapide d'orientation diagnostique"), // [A11-2026]
  '1.2.250.1.213.1.1.1.61': a06(
    'urn:asip:ci-sis:ft-su:2024',
    'Fiche de transfert vers le service des urgences',
  ), // [A11-2026]
  '1.2.250.1.213.1.1.1.62': a06('urn:asip:ci-sis:fr-su:2024', 'Fiche de retour du service des urgences'), // [A11-2026]
  // Group TRE_R220 → TRE_A11-IheFormatCode
  '1.2.250.1.213.1.1.1.39': a11('urn:ihe:pharm:pre:2010', 'Prescription de médicaments'),
  '1.2.250.1.213.1.1.1.54': a11('urn:ihe:pharm:dis:2010', 'Dispensation médicamenteuse'),
  '1.2.250.1.213.1.1.1.42': a11('urn:ihe:eyecare:geneyeevalcn:2014', 'CR de consultation en ophtalmologie'),
  '1.2.250.1.213.1.1.1.43': a11('urn:ihe:eyecare:geneyeevalcn:2014', 'CR de consultation en ophtalmologie'),
  '1.2.250.1.213.1.1.1.44': a11('urn:ihe:eyecare:geneyeevalcn:2014', 'CR de consultation en ophtalmologie'),
  '1.2.250.1.213.1.1.1.45': a11(
    'urn:ihe:rad:CDA:ImagingReportStructuredHeadings:2013',
    "Compte-rendu d'imagerie médicale",
  ),
  '1.2.250.1.213.1.1.1.55': a11(
    'urn:ihe:lab:xd-lab:2008',
    "Compte rendu structuré d'examens de biologie médicale",
  ),
  '1.3.6.1.4.1.19376.1.3.3': a11(
    'urn:ihe:lab:xd-lab:2008',
    "Compte rendu structuré d'examens de biologie médicale",
  ),
  '1.2.250.1.213.1.1.1.57': a11('urn:ihe:palm:apsr:2016', "CR d'anatomie et de cytologie pathologiques"),
  '1.2.250.1.213.1.1.1.51': a11('urn:ihe:pcc:ips:2020', 'Synthèse médicale'),
  '1.3.6.1.4.1.19376.1.8.1.1.1': apsr('all'),
  ...Object.fromEntries(
    [
      'breast',
      'colon',
      'prostate',
      'thyroid',
      'lung',
      'skin',
      'kidney',
      'cervix',
      'endometrium',
      'ovary',
      'esophagus',
      'stomach',
      'liver',
      'pancreas',
      'testis',
      'urinary_bladder',
      'lip_oral_cavity',
      'pharynx',
      'salivary_gland',
      'larynx',
    ].map((organ, i) => [`1.3.6.1.4.1.19376.1.8.1.1.2.${i + 1}`, apsr(organ)]),
  ),
};

/** Display names of the N1 codes [TRE_A11-IheFormatCode]. */
const N1_DISPLAY: Readonly<Record<string, string>> = {
  'application/pdf': 'Document à corps non structuré en Pdf/A-1',
  'text/plain': 'Document à corps non structuré en texte brut',
  'image/jpeg': 'Document à corps non structuré en format jpeg',
  'image/tiff': 'Document à corps non structuré en format tiff',
  'text/rtf': 'Document à corps non structuré en format rtf',
};

/** `type/subtype` in lower case, parameters (`; charset=...`) removed. */
export function normaliseMediaType(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/** formatCode of an N1 document by media type [ASS_A12], or undefined for other media types. */
export function n1FormatCode(mediaType: string): Code | undefined {
  const key = normaliseMediaType(mediaType);
  const code = N1_FORMAT_CODE[key];
  return code === undefined ? undefined : a11(code, N1_DISPLAY[key]);
}

/**
 * formatCode of a structured document: the first of its templateIds (document
 * order) found in `extra` (establishment configuration, checked first) or in
 * {@link CDA_MODEL_FORMAT_CODES}; undefined when no model is known.
 */
export function modelFormatCode(
  templateIds: readonly string[],
  extra: Readonly<Record<string, Code>> = {},
): Code | undefined {
  for (const id of templateIds) {
    const code = extra[id] ?? CDA_MODEL_FORMAT_CODES[id];
    if (code) return code;
  }
  return undefined;
}
