/**
 * Operator API: the status and timeline of a submission, and replay of one
 * that ended failed or rejected. Shows identifiers, codes and outcomes only.
 */
import { type Request, type Response, Router } from 'express';
import type { Config } from '../config/schema.ts';
import { type DepositQueue, enqueueDeposit } from '../queue/deposit-queue.ts';
import type { SubmissionStore } from '../store/records.ts';
import { storeCall } from './store-errors.ts';

export interface SubmissionRouteDeps {
  readonly store: SubmissionStore;
  readonly queue: DepositQueue;
  readonly config: Pick<Config, 'queue'>;
}

const REPLAYABLE = new Set(['failed', 'rejected']);

export function submissionRoutes(deps: SubmissionRouteDeps): Router {
  const router = Router();
  router.get('/api/submissions/:id', async (req: Request<{ id: string }>, res: Response) => {
    const stored = await storeCall(() => deps.store.get(req.params.id));
    if (!stored) {
      res.status(404).json({ error: 'no such submission' });
      return;
    }
    const { record, ...state } = stored;
    res.json({ ...record, ...state });
  });

  router.post('/api/submissions/:id/replay', async (req: Request<{ id: string }>, res: Response) => {
    const id = req.params.id;
    const stored = await storeCall(() => deps.store.get(id));
    if (!stored) {
      res.status(404).json({ error: 'no such submission' });
      return;
    }
    if (!REPLAYABLE.has(stored.status)) {
      res
        .status(409)
        .json({ error: `only failed or rejected submissions are replayed; this one is ${stored.status}` });
      return;
    }
    if (!(await storeCall(() => deps.store.payload(id)))) {
      res.status(410).json({
        error: 'the document is no longer kept (retention period over); the sender must send it again',
      });
      return;
    }
    const jobId = await storeCall(() =>
      enqueueDeposit(deps.queue, deps.store, deps.config, id, {
        expectedJobId: stored.jobId,
        allowed: ['failed', 'rejected'],
        jobId: `${id}-r%n`,
        event: 'replayed',
        counter: 'replays',
      }),
    );
    if (!jobId) {
      res.status(409).json({ error: 'the submission changed meanwhile (replayed or reconciled already)' });
      return;
    }
    res.status(202).set('Location', `/api/submissions/${id}`).json({ id, status: 'queued', job: jobId });
  });
  return router;
}
