/**
 * `POST /hl7`: the MLLP handler over HTTP (HL7 v2 over HTTP, "HTTP Hospital
 * Transport" profile: the body is one ER7 message, the answer its
 * acknowledgement with status 200 whatever the ACK code). The body is taken
 * as raw bytes, so the charset of MSH-18 decides, not the HTTP header; a body
 * over `hl7.maxMessageBytes` is refused with 413 before anything is parsed.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import type { Hl7IntakeDeps } from '../intake/hl7.ts';
import { handleHl7 } from '../intake/hl7.ts';

/** Media types of an ER7 message: the HL7 registration, the older `x-` form, and plain text. */
export const HL7_MEDIA_TYPES = [
  'x-application/hl7-v2+er7',
  'application/hl7-v2',
  'application/hl7-v2+er7',
  'text/plain',
];

function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export function hl7Routes(deps: Hl7IntakeDeps): Router {
  const router = Router();
  const limit = deps.config.hl7.maxMessageBytes;
  router.post(
    '/hl7',
    (req: Request, res: Response, next: NextFunction) => {
      if (HL7_MEDIA_TYPES.includes(mediaType(req))) return next();
      res
        .status(415)
        .type('text/plain')
        .send(`Content-Type must be one of ${HL7_MEDIA_TYPES.join(', ')}\n`);
    },
    express.raw({ type: () => true, limit }),
    async (req: Request, res: Response) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const ack = await handleHl7(body, deps);
      // setHeader, not res.type: no charset parameter is added, the ACK's MSH-18 names its charset.
      res.status(200).setHeader('Content-Type', mediaType(req));
      res.send(ack);
    },
  );
  router.use('/hl7', (err: Error & { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.type !== 'entity.too.large') return next(err);
    res.status(413).type('text/plain').send(`the message exceeds ${limit} bytes (hl7.maxMessageBytes)\n`);
  });
  return router;
}
