// wasi:http/types: the resource classes and the one free function, the same for every instance
// (per-instance state lives in the objects the host creates: the request and response-outparam).
import { HttpIoError, FutureTrailers, IncomingBody, OutgoingBody } from './bodies.js';
import type { WasiHttpErrorCode } from './error-code.js';
import { Fields } from './fields.js';
import { IncomingRequest, OutgoingResponse, ResponseOutparam } from './incoming.js';
import { FutureIncomingResponse, IncomingResponse, OutgoingRequest, RequestOptions } from './outgoing.js';

export const wasiHttpTypesImports = {
  'wasi:http/types': {
    Fields,
    IncomingRequest,
    OutgoingRequest,
    RequestOptions,
    ResponseOutparam,
    IncomingResponse,
    IncomingBody,
    FutureTrailers,
    OutgoingResponse,
    OutgoingBody,
    FutureIncomingResponse,
    httpErrorCode(err: unknown): WasiHttpErrorCode | undefined {
      return err instanceof HttpIoError ? err.code : undefined;
    },
  },
};
