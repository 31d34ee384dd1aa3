/**
 * Interface-engineer API: `POST /api/dry-run` (what the gateway would do
 * with a message: XDS metadata, feeding decision, visibility, lineage — the
 * HTTP twin of `dmp-gateway dry-run`) and `POST /api/mappings/reload`
 * (reread the mapping and rules files; on any error the previous version
 * stays in use and every error is listed with file and line).
 */
import express, { type Request, type Response, Router } from 'express';
import { dryRun, dryRunQueryOptions } from '../cli/dry-run.ts';
import type { Config } from '../config/schema.ts';
import type { MappingRegistry } from '../mappings/registry.ts';
import { outcome } from './operation-outcome.ts';

export function adminRoutes(deps: { readonly config: Config; readonly mappings: MappingRegistry }): Router {
  const router = Router();
  router.post(
    '/api/dry-run',
    express.raw({ type: () => true, limit: deps.config.http.maxBodyBytes }),
    (req: Request, res: Response) => {
      const q = dryRunQueryOptions(req.query as Record<string, unknown>);
      if (!q.ok) {
        res.status(400).json(outcome('error', 'invalid', q.error));
        return;
      }
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const report = dryRun(body, { config: deps.config, snapshot: deps.mappings.current, ...q.options });
      res.status(report.issues.length > 0 ? 422 : 200).json(report);
    },
  );
  router.post('/api/mappings/reload', (_req: Request, res: Response) => {
    const result = deps.mappings.reload();
    res.status(result.ok ? 200 : 422).json({ ok: result.ok, version: result.version, errors: result.errors });
  });
  return router;
}
