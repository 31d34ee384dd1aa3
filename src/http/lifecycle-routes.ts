/**
 * Document lifecycle API (issue 6), identifiers only — no patient data in
 * URLs or bodies:
 * - `POST /api/events` `{ "type": "announcement" | <a rule's untilEvent>,
 *   "documentUniqueId": "<OID>" }` → 202 `{ known, released }`: the event
 *   is kept and the held submissions waiting for it run now.
 * - `DELETE /api/documents/{uniqueId}` → 202 (200 when already asked) with
 *   `Location` of the deletion submission; 404 when this gateway did not
 *   deposit the document, 409 when it never reached the DMP, 410 when the
 *   deposit is no longer kept.
 */
import { type Request, type Response, Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config } from '../config/schema.ts';
import type { IntakeDeps } from '../intake/accept.ts';
import { requestDeletion } from '../lifecycle/deletion.ts';
import { receiveEvent } from '../lifecycle/events.ts';
import { LifecycleFacts } from '../lifecycle/facts.ts';
import type { LifecycleDeps } from '../lifecycle/schedule.ts';
import { randomIds } from '../model/ids.ts';
import type { DepositQueue } from '../queue/deposit-queue.ts';
import type { SubmissionStore } from '../store/records.ts';
import { storeCall } from './store-errors.ts';

export interface LifecycleRouteDeps {
  readonly store: SubmissionStore;
  readonly queue: DepositQueue;
  readonly config: Pick<Config, 'queue' | 'ids'>;
  readonly log: Logger;
  readonly index?: IntakeDeps['index'];
}

/** A bare OID (the DMP's document uniqueId form). */
export const OID_PATTERN = /^[0-2](\.(0|[1-9]\d*))+$/;

const eventBody = z
  .object({
    type: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, . _ - only'),
    documentUniqueId: z.string().regex(OID_PATTERN, 'a document uniqueId (OID)'),
  })
  .strict();

/** The lifecycle dependencies of the API role. */
export function lifecycleDeps(deps: LifecycleRouteDeps): LifecycleDeps {
  return {
    store: deps.store,
    queue: deps.queue,
    config: deps.config,
    log: deps.log,
    facts: new LifecycleFacts(deps.store.redis, deps.store.prefix),
    ids: randomIds,
  };
}

export function lifecycleRoutes(deps: LifecycleRouteDeps): Router {
  const router = Router();
  const lifecycle = lifecycleDeps(deps);

  router.post('/api/events', async (req: Request, res: Response) => {
    const parsed = eventBody.safeParse(req.body);
    if (!parsed.success) {
      res.status(422).json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    const result = await storeCall(() => receiveEvent(lifecycle, parsed.data));
    res.status(202).json({ ...parsed.data, ...result });
  });

  router.delete('/api/documents/:uniqueId', async (req: Request<{ uniqueId: string }>, res: Response) => {
    const uid = req.params.uniqueId;
    if (!OID_PATTERN.test(uid)) {
      res.status(422).json({ error: 'the document uniqueId must be an OID' });
      return;
    }
    const result = await storeCall(() => requestDeletion(deps, uid));
    if (result.kind === 'refused') {
      res.status(result.status).json({ error: result.error });
      return;
    }
    res
      .status(result.kind === 'created' ? 202 : 200)
      .set('Location', `/api/submissions/${result.id}`)
      .json({ id: result.id, documentUniqueId: uid });
  });
  return router;
}
