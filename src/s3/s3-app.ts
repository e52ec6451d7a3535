// The S3-compatible endpoint: a node:http listener (its own port) over an ObjectStore. Path-style addressing,
// SigV4 (access key id "wasmlet", secret = the admin token), S3's XML and error codes.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ObjectStore } from '../objects/object-store.js';
import { systemClock, type Clock } from '../queue/clock.js';
import { hostAllowed } from './host-check.js';
import { authenticate } from './s3-auth.js';
import { S3Error, toS3Error } from './s3-errors.js';
import { parseTarget, S3Request, type S3Target } from './s3-request.js';
import { sendError } from './s3-response.js';
import { routeRequest } from './s3-routing.js';

export interface S3AppOptions {
  readonly store: ObjectStore;
  /** The secret access key (the host's admin token). Undefined: any credentials, or none, are accepted (a loopback host without a token). */
  readonly secret: string | undefined;
  /** The address the endpoint listens on: Host headers must name it or a loopback name. */
  readonly listenHost: string;
  readonly clock?: Clock;
  /** Unexpected failures (InternalError), one line each. */
  readonly log?: (line: string) => void;
}

/**
 * @example
 * const listener = createS3Listener({ store, secret: token, listenHost: '127.0.0.1' });
 * http.createServer(listener).on('checkContinue', listener).listen(8082);
 */
export function createS3Listener(options: S3AppOptions): RequestListener {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  return (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    let target: S3Target | undefined;
    const handle = async () => {
      if (!hostAllowed(req.headers.host, options.listenHost)) {
        throw new S3Error('AccessDenied', `this endpoint does not answer to Host "${req.headers.host ?? ''}": use ${options.listenHost} or a loopback name`);
      }
      target = parseTarget(req.url ?? '/', req.headers.host);
      const auth = authenticate({ req, rawPath: target.rawPath, decodedPath: target.decodedPath, query: target.query, secret: options.secret, now: clock.now() });
      const r = new S3Request(req, res, target, auth, requestId);
      await routeRequest(r).run(options.store, r);
    };
    handle().catch((err: unknown) => {
      const s3 = toS3Error(err, { bucket: target?.bucket, key: target?.key });
      if (s3.code === 'InternalError') log(`s3 ${req.method} ${req.url} ${requestId}: ${(s3.cause as Error | undefined)?.stack ?? String(s3.cause)}`);
      sendError(req, res, requestId, s3, target?.decodedPath ?? (req.url ?? '/').split('?')[0]!);
    });
  };
}
