/**
 * The one configuration schema. Every setting of the gateway is declared
 * here, with its default; the process refuses to start and lists every bad
 * setting (see load.ts). Secrets are never values here, only file paths.
 */
import { z } from 'zod';
import { xdsConfigSchema } from '../inbound/xds/config.ts';

const oid = z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, 'must be an OID such as 1.2.250.1.999');
const code = z.object({
  code: z.string().min(1),
  codeSystem: z.string().min(1),
  displayName: z.string().optional(),
});

/** TLS of an MLLP connection the gateway opens (PEM files). */
const mllpClientTls = z.object({
  /** CA bundle that signs the peer's certificate; empty: the system store. */
  caFile: z.string().optional(),
  /** Client certificate and key, when the peer asks for one. */
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
  /** Name checked against the peer's certificate; default: the host. */
  servername: z.string().optional(),
});

/** A sending system (MSH-3/MSH-4) and where its business acknowledgements (ZAM^Z01) go. */
const hl7Sender = z
  .object({
    /** MSH-3 as sent (e.g. `RIS-Y`). */
    application: z.string().min(1),
    /** MSH-4 as sent; empty: any facility. */
    facility: z.string().default(''),
    /** MLLP endpoint of the sender that receives ZAM^Z01; empty: no business acknowledgement is sent. */
    ackHost: z.string().optional(),
    ackPort: z.number().int().min(1).max(65535).optional(),
    tls: mllpClientTls.optional(),
    /** Business acknowledgement when the message has no `ACK_RECEPTION` flag; default: `hl7.businessAck`. */
    businessAck: z.boolean().optional(),
  })
  .refine((s) => (s.ackHost === undefined) === (s.ackPort === undefined), {
    message: 'ackHost and ackPort go together',
  });

const hl7Schema = z.object({
  /** Run the MLLP listener with the api role. */
  mllpEnabled: z.boolean().default(true),
  mllpHost: z.string().default('127.0.0.1'),
  /** MLLP port (env MLLP_PORT); 0: ephemeral. */
  mllpPort: z.coerce.number().int().min(0).max(65535).default(2575),
  /** Largest message accepted over MLLP and `POST /hl7` (bytes): larger → AR and the connection closed / 413. */
  maxMessageBytes: z
    .number()
    .int()
    .positive()
    .default(20 * 1024 * 1024),
  /** An MLLP connection without traffic for this long is closed. */
  idleTimeoutMs: z.number().int().min(1000).default(300_000),
  /** Open MLLP connections at once; more are refused. */
  maxConnections: z.number().int().min(1).default(256),
  /** Time one message may take to be stored before the sender gets AE (207) instead of hanging. */
  handlerTimeoutMs: z.number().int().min(100).default(30_000),
  /** Serve MLLP over TLS with this certificate and key (PEM); `caFile` + `requireClientCert` for mutual TLS. */
  tls: z
    .object({
      certFile: z.string(),
      keyFile: z.string(),
      caFile: z.string().optional(),
      requireClientCert: z.boolean().default(false),
    })
    .optional(),
  /** How long the ACK of an accepted message is kept to answer a resent MSH-10 identically. */
  ackTtlSeconds: z
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  /** Business acknowledgement for senders without their own setting, when the message has no `ACK_RECEPTION` flag. */
  businessAck: z.boolean().default(false),
  senders: z.array(hl7Sender).default([]),
  /** Delivery of business acknowledgements (ZAM^Z01). */
  notify: z
    .object({
      attempts: z.number().int().min(1).max(100).default(10),
      backoffMs: z.number().int().positive().default(5_000),
      maxBackoffMs: z
        .number()
        .int()
        .positive()
        .default(10 * 60_000),
      /** Time allowed to connect to the sender, then for its ACK. */
      timeoutMs: z.number().int().positive().default(10_000),
      concurrency: z.number().int().min(1).max(64).default(4),
    })
    .prefault({}),
});

export const configSchema = z.object({
  establishment: z
    .object({
      /** Name of the geographic site (submission-set author institution, VIHF, CDA custodian). */
      name: z.string().min(1).default('Centre Hospitalier de Démonstration'),
      /** FINESS of the geographic site (9 characters). */
      finess: z
        .string()
        .regex(/^\d[\dAB]\d{7}$/, 'must be a 9-character FINESS')
        .default('999000019'),
      /** healthcareFacilityTypeCode (TRE_R02) and VIHF Secteur_Activite. */
      facilityType: code.default({
        code: 'SA01',
        codeSystem: '1.2.250.1.71.4.2.4',
        displayName: 'Etablissement public de santé',
      }),
      /** Default practiceSettingCode (TRE_A01) when the source gives none. */
      practiceSetting: code.default({
        code: 'ETABLISSEMENT',
        codeSystem: '1.2.250.1.213.1.1.4.9',
        displayName: 'Etablissement de santé',
      }),
    })
    .prefault({}),
  software: z
    .object({
      /** Software name: VIHF subject-id and LPS_Nom, system author name. */
      name: z.string().min(1).default('dmp-gateway'),
      version: z.string().min(1).default('0.1.0'),
      /** DMP homologation number (LPS_ID_HOMOLOGATION_DMP). */
      homologation: z.string().min(1).default('DEV-NON-HOMOLOGUE'),
    })
    .prefault({}),
  ids: z
    .object({
      /** OID of the sending system (XDS sourceId). */
      sourceId: oid.default('1.2.250.1.999.1.1'),
      /** Root under which the gateway mints document and submission-set OIDs (`<root>.<n>`); default: UUID OIDs (2.25). */
      oidRoot: oid.optional(),
      /** Assigning authority of local patient ids (IPP). */
      ippAuthority: oid.default('1.2.250.1.999.1.2'),
    })
    .prefault({}),
  signing: z
    .object({
      /** PEM private key of the ORG SIGN certificate (env DMP_SIGN_KEY). Empty: the development PKI. */
      keyFile: z.string().optional(),
      /** PEM certificate of the ORG SIGN certificate (env DMP_SIGN_CERT). */
      certFile: z.string().optional(),
      /** Digest of XAdES and VIHF signatures: sha256 (ANS) or sha1 (older GIE profile). */
      digest: z.enum(['sha256', 'sha1']).default('sha256'),
    })
    .prefault({}),
  vihf: z
    .object({
      /** VIHF_Version: 3.0 in every published example, 4.0 in one ANS table. */
      version: z.string().default('3.0'),
      validitySeconds: z.number().int().positive().default(300),
    })
    .prefault({}),
  dmp: z
    .object({
      /** Endpoints of the DMP; the defaults are those of the built-in sandbox. */
      iti41Url: z.string().url().default('https://127.0.0.1:8443/dmp/iti41'),
      iti18Url: z.string().url().default('https://127.0.0.1:8443/dmp/iti18'),
      iti57Url: z.string().url().default('https://127.0.0.1:8443/dmp/iti57'),
      td02Url: z.string().url().default('https://127.0.0.1:8443/dmp/td02'),
      /** Client certificate (ORG AUTH_CLI) and key, PEM; empty: the development PKI. */
      tlsCertFile: z.string().optional(),
      tlsKeyFile: z.string().optional(),
      /** CA certificates (PEM bundle) that sign the DMP's server certificate; empty: the development CA. */
      tlsCaFile: z.string().optional(),
      /** Time allowed for one DMP call, from connection to the end of the answer. */
      timeoutMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  redis: z
    .object({
      url: z.string().default('redis://127.0.0.1:6379'),
      /** Prefix of every key the gateway writes (records, payloads, queues): several gateways can share a Redis. */
      prefix: z
        .string()
        .regex(/^[\w.-]+$/, 'letters, digits, _ . - only')
        .default('dmpgw'),
    })
    .prefault({}),
  http: z
    .object({
      port: z.coerce.number().int().min(0).max(65535).default(8080),
      host: z.string().default('127.0.0.1'),
      /** Largest request body accepted (bytes); larger → 413 before parsing. */
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(30 * 1024 * 1024),
    })
    .prefault({}),
  storage: z
    .object({
      /** File holding the 32-byte AES-256-GCM payload key (raw, hex or base64); empty: generated in devPkiDir. */
      encryptionKeyFile: z.string().optional(),
      /** Days a document (patient data) is kept once its submission has an outcome; records stay. */
      payloadRetentionDays: z.number().positive().default(30),
    })
    .prefault({}),
  queue: z
    .object({
      /** Attempts per deposit before it ends `failed`. */
      attempts: z.number().int().min(1).max(100).default(8),
      /** First retry delay; doubles each attempt. */
      backoffMs: z.number().int().positive().default(5_000),
      /** Longest delay between two attempts. */
      maxBackoffMs: z
        .number()
        .int()
        .positive()
        .default(15 * 60_000),
      /** Random share of each delay (0–1), so retries of many documents spread out. */
      jitter: z.number().min(0).max(1).default(0.3),
      /** Jobs one worker process runs at once. */
      concurrency: z.number().int().min(1).max(256).default(8),
      /** How long a worker may hold a job without renewing its lock before another takes it over (crash recovery). */
      lockDurationMs: z.number().int().min(1000).default(30_000),
      /**
       * A replacement the gateway makes itself (an announcement release, an accepted visibility change)
       * never ends `failed`: past its attempts it waits this long and tries again, until the DMP answers.
       */
      lifecycleRetryMs: z
        .number()
        .int()
        .min(1000)
        .default(15 * 60_000),
      /** How often stuck records (stored, no job) are re-enqueued. */
      reconcileEveryMs: z.number().int().min(1000).default(60_000),
      /** Time in-flight jobs get to finish on shutdown. */
      shutdownGraceMs: z.number().int().min(0).default(20_000),
    })
    .prefault({}),
  sandbox: z
    .object({
      /** Run the built-in sandbox DMP in this process (`npm start` does). */
      enabled: z.boolean().default(true),
      port: z.number().int().min(0).max(65535).default(8443),
      adminPort: z.number().int().min(0).max(65535).default(8444),
      /** Verify VIHF and XAdES signatures (turned off only to measure their cost). */
      checkSignatures: z.boolean().default(true),
    })
    .prefault({}),
  hl7: hl7Schema.prefault({}),
  /** FHIR intake: `POST /fhir/DocumentReference`, IHE MHD ITI-65 `POST /fhir`, ITI-67 search. */
  fhir: z
    .object({
      /**
       * Where XDS creationTime comes from. `attachment.creation`: IHE MHD 4.2 (DocumentEntry mapping:
       * content.attachment.creation → creationTime) and PDSm 3.1.1 (date is "la date de création de la
       * ressource DocumentReference"; attachment.creation is "la date et l'heure de création du document").
       * `date`: ANS PDSm4DMP ConceptMap documentReferenceToPDSM (DocumentEntry.creationTime →
       * DocumentReference.date). Without the chosen element, POST /fhir/DocumentReference falls back to the
       * other one; ITI-65 requires it.
       */
      creationTimeFrom: z.enum(['attachment.creation', 'date']).default('attachment.creation'),
      /** Deepest nesting of objects and arrays accepted in a FHIR JSON body; deeper → 400 before parsing. */
      maxJsonDepth: z.number().int().min(8).max(1000).default(64),
      /** Most JSON values (objects, arrays, scalars) in one FHIR body; more → 413 before parsing. */
      maxJsonValues: z.number().int().min(100).default(200_000),
      /** Most DocumentReferences in one ITI-65 bundle. */
      maxDocuments: z.number().int().min(1).max(1000).default(100),
    })
    .prefault({}),
  /** XDS.b ITI-41 Document Recipient (`POST /xds/iti41`): limits and per-source mappings. */
  xds: xdsConfigSchema.prefault({}),
  mappings: z
    .object({
      /** Folder of the mapping and CME rules files (YAML), reloadable with `POST /api/mappings/reload`. */
      dir: z.string().default('mappings'),
    })
    .prefault({}),
  feeding: z
    .object({
      /**
       * `rules`: every document goes through the hard blocks (opposition, identity, R/V, DMP closed or
       * absent by TD0.2) and the site's CME rules before it is sent. `none`: documents are sent as received
       * (for transport tests only; never in production).
       */
      policy: z.enum(['rules', 'none']).default('rules'),
      /** How long a TD0.2 answer is trusted. */
      td02CacheSeconds: z.number().int().min(0).default(3600),
    })
    .prefault({}),
  /** Folder of the development PKI (generated on demand, never committed). */
  devPkiDir: z.string().default('.dev/pki'),
});

export type Config = z.infer<typeof configSchema>;
