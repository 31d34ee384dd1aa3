/**
 * The XDS door: `POST /xds/iti41`, IHE ITI-41 Provide and Register Document
 * Set-b from hospital XDS sources (SOAP 1.2, MTOM/XOP or inline base64),
 * answered with a RegistryResponse or a SOAP 1.2 Fault (src/inbound/xds/).
 * The Content-Type is checked before the body is read (415), the body is
 * taken as raw bytes up to `xds.maxBodyBytes` (413 beyond, before parsing),
 * and every answer, errors of the HTTP layer included, is a SOAP message.
 */
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { XdsFault } from '../inbound/xds/faults.ts';
import { handleIti41, tooLargeReply, type XdsIntakeDeps } from '../inbound/xds/handle.ts';
import { mediaTypeFault } from '../inbound/xds/request.ts';
import { faultReply, type SoapReply } from '../inbound/xds/response.ts';

export const ITI41_PATH = '/xds/iti41';

function send(res: Response, reply: SoapReply): void {
  // setHeader, not res.type: the reply's Content-Type (boundary, action) is sent as built.
  res.status(reply.status).setHeader('Content-Type', reply.contentType);
  res.end(reply.body);
}

/** The router of the XDS door; mount it before the app's 404 handler. */
export function xdsRoutes(deps: XdsIntakeDeps): Router {
  const router = Router();
  const limit = deps.xds.maxBodyBytes;
  router.post(
    ITI41_PATH,
    (req: Request, res: Response, next: NextFunction) => {
      const fault = mediaTypeFault(req.headers['content-type']);
      if (fault) send(res, faultReply(fault));
      else next();
    },
    express.raw({ type: () => true, limit }),
    async (req: Request, res: Response) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      send(res, await handleIti41(req.headers['content-type'], body, deps));
    },
  );
  router.all(ITI41_PATH, (_req: Request, res: Response) => {
    res.set('Allow', 'POST');
    send(res, faultReply(new XdsFault('Sender', 'only POST is accepted here', { status: 405 })));
  });
  router.use(
    ITI41_PATH,
    (err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
      if (err.type === 'entity.too.large') {
        send(res, tooLargeReply(limit));
        return;
      }
      const status = err.status && err.status >= 400 && err.status < 500 ? err.status : 500;
      if (status === 500) deps.log.error({ err: err.message }, 'ITI-41: error before the request was read');
      const code = status === 500 ? 'Receiver' : 'Sender';
      const reason =
        status === 500
          ? 'internal error; the request was not accepted'
          : `the request body cannot be read (${err.type ?? 'error'})`;
      send(res, faultReply(new XdsFault(code, reason, { status })));
    },
  );
  return router;
}
