/**
 * Operator API: the status and timeline of a submission (with `holdUntil`
 * and `holdReason` while it is held), replay of one that ended failed or
 * rejected, and the document lifecycle (issue 6):
 * - `POST /api/submissions/{id}/cancel` → 200 `cancelled` (not sent yet:
 *   received, queued, held, retrying); 409 otherwise.
 * - `POST /api/submissions/{id}/secrecy`: the minor asked for secrecy from
 *   the legal representatives. Before the deposit it is recorded for the
 *   visibility policy (202); after, it is a replacement with
 *   INVISIBLE_REPRESENTANTS_LEGAUX (202, Location of the replacement).
 * - `POST /api/submissions/{id}/visibility` `{ "flags": [TRE_A07 codes],
 *   "documentUniqueId"? }`: the complete new set of flags of a deposited
 *   document → a replacement (202), or 200 `unchanged`; 409 when another
 *   change, a newer version or a deletion of the document came first (an
 *   accepted change is never superseded afterwards).
 * Shows identifiers, codes and outcomes only.
 */
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { cancelSubmission } from '../lifecycle/cancel.ts';
import { type ChangeResult, changeVisibility } from '../lifecycle/change.ts';
import { PENDING } from '../lifecycle/refusal.ts';
import type { Visibility } from '../model/types.ts';
import { VISIBILITY_CODE } from '../model/vocabulary.ts';
import { enqueueDeposit } from '../queue/deposit-queue.ts';
import { LifecycleState } from '../store/lifecycle-state.ts';
import { type LifecycleRouteDeps, lifecycleDeps, OID_PATTERN } from './lifecycle-routes.ts';
import { storeCall } from './store-errors.ts';

export type SubmissionRouteDeps = LifecycleRouteDeps;

const REPLAYABLE = new Set(['failed', 'rejected']);

const visibilityBody = z
  .object({
    flags: z.array(z.enum(Object.values(VISIBILITY_CODE))),
    documentUniqueId: z.string().regex(OID_PATTERN).optional(),
  })
  .strict();

function answer(res: Response, result: ChangeResult): void {
  switch (result.kind) {
    case 'refused':
      res.status(result.status).json({ error: result.error, ...(result.code && { code: result.code }) });
      return;
    case 'unchanged':
      res.status(200).json({ status: 'unchanged', flags: result.flags });
      return;
    default:
      res
        .status(result.kind === 'created' ? 202 : 200)
        .set('Location', `/api/submissions/${result.id}`)
        .json({ replacement: result.id });
  }
}

export function submissionRoutes(deps: SubmissionRouteDeps): Router {
  const router = Router();
  const lifecycle = lifecycleDeps(deps);
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

  router.post('/api/submissions/:id/cancel', async (req: Request<{ id: string }>, res: Response) => {
    const result = await storeCall(() => cancelSubmission(lifecycle, req.params.id));
    if (result.kind === 'refused') {
      res.status(result.status).json({ error: result.error });
      return;
    }
    res.json({ id: req.params.id, status: 'cancelled' });
  });

  router.post('/api/submissions/:id/secrecy', async (req: Request<{ id: string }>, res: Response) => {
    const id = req.params.id;
    const stored = await storeCall(() => deps.store.get(id));
    if (stored?.record.kind !== 'deposit') {
      res.status(404).json({ error: 'no such submission' });
      return;
    }
    if (stored.status !== 'deposited') {
      const result = await storeCall(() => new LifecycleState(deps.store).requestSecrecy(id, PENDING));
      if (result === 'ok') res.status(202).json({ id, secrecy: 'recorded for the deposit' });
      else res.status(409).json({ error: `the submission is ${result}: ask again once it is deposited` });
      return;
    }
    const result = await storeCall(() =>
      changeVisibility(lifecycle, id, {
        documentUniqueId:
          typeof req.query.documentUniqueId === 'string' ? req.query.documentUniqueId : undefined,
        flags: (current) => ({ ...current, hiddenFromLegalRepresentatives: true }),
        minorsOnly: true,
      }),
    );
    answer(res, result);
  });

  router.post('/api/submissions/:id/visibility', async (req: Request<{ id: string }>, res: Response) => {
    const parsed = visibilityBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(422).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    const codes = new Set<string>(parsed.data.flags);
    const flags: Visibility = {
      hiddenFromPatient: codes.has(VISIBILITY_CODE.hiddenFromPatient),
      hiddenFromLegalRepresentatives: codes.has(VISIBILITY_CODE.hiddenFromLegalRepresentatives),
      maskedFromProfessionals: codes.has(VISIBILITY_CODE.maskedFromProfessionals),
    };
    const result = await storeCall(() =>
      changeVisibility(lifecycle, req.params.id, {
        documentUniqueId: parsed.data.documentUniqueId,
        flags: () => flags,
        minorsOnly: flags.hiddenFromLegalRepresentatives,
      }),
    );
    answer(res, result);
  });
  return router;
}
