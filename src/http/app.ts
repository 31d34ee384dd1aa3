/**
 * The HTTP API (express): FHIR and HL7 v2 intake, operator API, health, and the view of
 * the built-in sandbox DMP when it runs in this process. Body size is checked
 * before parsing (413); Redis failures become 503 with Retry-After; nothing
 * else leaks internals.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { IntakeDeps } from '../intake/accept.ts';
import type { Hl7IntakeDeps } from '../intake/hl7.ts';
import type { MappingRegistry } from '../mappings/registry.ts';
import type { DepositQueue } from '../queue/deposit-queue.ts';
import type { SubmissionStore } from '../store/records.ts';
import { adminRoutes } from './admin-routes.ts';
import { fhirRoutes } from './fhir-routes.ts';
import { hl7Routes } from './hl7-routes.ts';
import { lifecycleRoutes } from './lifecycle-routes.ts';
import { mhdRoutes } from './mhd-routes.ts';
import { outcome } from './operation-outcome.ts';
import { StoreUnavailable } from './store-errors.ts';
import { submissionRoutes } from './submission-routes.ts';
import { xdsRoutes } from './xds-routes.ts';

export interface AppDeps {
  readonly config: Config;
  readonly store: SubmissionStore;
  readonly queue: DepositQueue;
  readonly log: Logger;
  /** Index of deposited documents for ITI-67. */
  readonly index?: IntakeDeps['index'];
  /** The mapping and rules files in use (dry-run, reload). */
  readonly mappings: MappingRegistry;
  /** The HL7 v2 intake (`POST /hl7`). */
  readonly hl7: Hl7IntakeDeps;
  /** Present when the sandbox DMP runs in this process. */
  readonly sandboxDocuments?: () => unknown;
  /** Whether intake is open (closed during shutdown). */
  readonly accepting: () => boolean;
}

const FHIR_TYPES = ['application/fhir+json', 'application/json'];

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.get('/health', async (_req, res) => {
    try {
      await deps.store.redis.ping();
      res.json({ status: 'ok', accepting: deps.accepting() });
    } catch {
      res.status(503).json({ status: 'redis unavailable' });
    }
  });

  // XDS answers in SOAP (faults, RegistryResponse), so it sits before the JSON shutdown answer.
  app.use(
    xdsRoutes({
      store: deps.store,
      queue: deps.queue,
      log: deps.log,
      config: deps.config,
      xds: deps.config.xds,
      accepting: deps.accepting,
      index: deps.index,
    }),
  );
  app.use(['/fhir', '/api', '/hl7'], (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST' && !deps.accepting()) {
      res
        .status(503)
        .set('Retry-After', '5')
        .json(outcome('error', 'transient', 'the gateway is shutting down'));
      return;
    }
    next();
  });
  app.use('/fhir', (req: Request, res: Response, next: NextFunction) => {
    if (
      req.method === 'POST' &&
      !FHIR_TYPES.includes((req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase())
    ) {
      res
        .status(415)
        .type('application/fhir+json')
        .json(outcome('error', 'not-supported', `Content-Type must be one of ${FHIR_TYPES.join(', ')}`));
      return;
    }
    next();
  });
  app.use(adminRoutes({ config: deps.config, mappings: deps.mappings }));
  // MHD reads its own body (size, content type and JSON depth checked before parsing).
  app.use(mhdRoutes({ ...deps, fullConfig: deps.config, config: deps.config }));
  app.use(express.json({ limit: deps.config.http.maxBodyBytes, type: FHIR_TYPES, strict: true }));

  app.use(fhirRoutes({ ...deps, fullConfig: deps.config, config: deps.config }));
  app.use(submissionRoutes(deps));
  app.use(lifecycleRoutes(deps));
  app.use(hl7Routes(deps.hl7));
  if (deps.sandboxDocuments) {
    const documents = deps.sandboxDocuments;
    app.get('/api/sandbox/documents', (_req, res) => {
      res.json(documents());
    });
  }

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use(
    (err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
      if (err instanceof StoreUnavailable) {
        deps.log.warn({ err: err.cause.message }, 'store unavailable');
        res
          .status(503)
          .set('Retry-After', '5')
          .type('application/fhir+json')
          .json(
            outcome(
              'error',
              'transient',
              'the submission store is unavailable; nothing was accepted, retry later',
            ),
          );
        return;
      }
      if (err.type === 'entity.too.large') {
        res
          .status(413)
          .type('application/fhir+json')
          .json(outcome('error', 'too-costly', `the body exceeds ${deps.config.http.maxBodyBytes} bytes`));
        return;
      }
      if (err.type === 'entity.parse.failed') {
        res
          .status(400)
          .type('application/fhir+json')
          .json(outcome('error', 'structure', 'the body is not valid JSON'));
        return;
      }
      deps.log.error({ err: err.message, stack: err.stack }, 'unhandled error');
      res.status(500).json(outcome('fatal', 'exception', 'internal error'));
    },
  );
  return app;
}
