/**
 * The admin JSON API of the sandbox DMP, on a separate plain HTTP listener
 * bound to loopback: stored documents and their metadata, the access
 * trace, fault injection settings, patient seeding, reset.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Sandbox } from './types.ts';

export type AdminApi = Pick<
  Sandbox,
  'documents' | 'document' | 'trace' | 'faults' | 'setFaults' | 'seedPatient' | 'patients' | 'reset'
>;

function badRequest(res: Response, err: unknown): void {
  res.status(400).json({ error: (err as Error).message });
}

/**
 * Routes: `GET /admin/documents`, `GET /admin/documents/:uniqueId[?content=1]`,
 * `GET /admin/trace`, `GET|PUT /admin/faults`, `GET|POST /admin/patients`,
 * `POST /admin/reset`.
 */
export function adminApp(api: AdminApi): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));
  app.get('/admin/documents', (_req, res) => {
    res.json(api.documents());
  });
  app.get('/admin/documents/:uniqueId', (req, res) => {
    const doc = api.document(req.params.uniqueId, req.query.content === '1');
    if (doc) res.json(doc);
    else res.status(404).json({ error: 'no document with this uniqueId' });
  });
  app.get('/admin/trace', (_req, res) => {
    res.json(api.trace());
  });
  app.get('/admin/faults', (_req, res) => {
    res.json(api.faults());
  });
  app.put('/admin/faults', (req, res) => {
    try {
      api.setFaults(req.body);
      res.json(api.faults());
    } catch (err) {
      badRequest(res, err);
    }
  });
  app.get('/admin/patients', (_req, res) => {
    res.json(api.patients());
  });
  app.post('/admin/patients', (req, res) => {
    try {
      res.status(201).json(api.seedPatient(req.body));
    } catch (err) {
      badRequest(res, err);
    }
  });
  app.post('/admin/reset', (_req, res) => {
    api.reset();
    res.status(204).end();
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status && err.status < 500 ? err.status : 500).json({ error: err.message });
  });
  return app;
}
