// wasmlet:function/outbound-http `send` lowered by the host for the direct path, with
// capabilities/outbound-http/guest-imports.ts's behaviour (the thread's HostLink carries the request
// to the main thread, which checks the grant; the guest waits without computing).
import type { OutboundErrorCode } from '../capabilities/host-link.js';
import { createOutboundImports } from '../capabilities/outbound-http/guest-imports.js';
import { readBytes, readPairs, readString, storeBytes, storeList, storePairs, storeString, view, type DirectState } from './direct-abi.js';
import { reallocOf, runningState, type ImportSite, type Lowering } from './direct-lowering.js';

/** outbound-http.error-code, by discriminant (sdk/wit/function.wit). */
const errorCodes: readonly OutboundErrorCode[] = [
  'denied',
  'invalid-request',
  'dns-error',
  'connection-refused',
  'connection-timeout',
  'timeout',
  'tls-error',
  'response-too-large',
  'too-many-requests',
  'protocol-error',
];

function outboundOf(state: DirectState): NonNullable<DirectState['outbound']> {
  // Made on the first request: an instance that never calls out costs nothing for it.
  return (state.outbound ??= createOutboundImports(state.link)['wasmlet:function/outbound-http']);
}

export const outboundLowerings: Readonly<Record<string, Lowering>> = {
  // send(request{method, url, headers, body}) -> result<response{status, headers, body}, http-error{code, message}>
  'wasmlet:function/outbound-http#send': (site: ImportSite) =>
    (methodPtr: number, methodLen: number, urlPtr: number, urlLen: number, headersPtr: number, headersLen: number, bodyPtr: number, bodyLen: number, retptr: number) => {
      const state = runningState(site.running);
      const { memory } = state;
      const request = {
        method: readString(memory, methodPtr, methodLen),
        url: readString(memory, urlPtr, urlLen),
        headers: readPairs(memory, headersPtr, headersLen),
        body: readBytes(memory, bodyPtr, bodyLen),
      };
      let response: ReturnType<NonNullable<DirectState['outbound']>['send']>;
      try {
        response = outboundOf(state).send(request);
      } catch (err) {
        if (!err || !Object.hasOwn(err, 'payload')) throw err;
        const { code, message } = (err as { payload: { code: OutboundErrorCode; message: string } }).payload;
        const index = errorCodes.indexOf(code);
        if (index < 0) throw new TypeError(`"${code}" is not one of the cases of error-code`);
        view(memory).setInt8(retptr, 1);
        view(memory).setInt8(retptr + 4, index);
        storeString(memory, reallocOf(state, site), message, retptr + 8);
        return;
      }
      const realloc = reallocOf(state, site);
      view(memory).setInt8(retptr, 0);
      view(memory).setInt16(retptr + 4, response.status, true);
      const headers = storePairs(memory, realloc, response.headers);
      view(memory).setInt32(retptr + 12, response.headers.length, true);
      view(memory).setInt32(retptr + 8, headers, true);
      storeList(memory, retptr + 16, storeBytes(memory, realloc, response.body), response.body.byteLength);
    },
};
