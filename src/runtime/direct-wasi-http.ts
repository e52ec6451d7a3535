// wasi:http/types lowered by the host for the direct path: the incoming side a `wasi:http/proxy`
// guest answers with (the request, its body, fields, the response and its body, the outparam).
// Each function calls the same host object jco's glue would (capabilities/wasi-http/*) and writes
// its answer into the guest's memory as the glue does (the same realloc calls, in the same order).
// Not here, so such a component keeps the glue: outgoing requests (wasi:http/outgoing-handler),
// future-trailers' methods and every pollable (wasi:io/poll).
import { IncomingBody, OutgoingBody } from '../capabilities/wasi-http/bodies.js';
import type { WasiHttpErrorCode } from '../capabilities/wasi-http/error-code.js';
import { Fields, type HeaderError } from '../capabilities/wasi-http/fields.js';
import { IncomingRequest, OutgoingResponse, ResponseOutparam, type WasiMethod } from '../capabilities/wasi-http/incoming.js';
import type { InputStream, OutputStream } from '../capabilities/wasi/streams.js';
import { encodedLength, encodeString, readBytes, readString, resourceTables, storeBytes, storeList, view, type DirectState } from './direct-abi.js';
import { reallocOf, runningState, type ImportSite, type Lowering } from './direct-lowering.js';
import { borrowed, dropHandle, errorPayload, ownHandleFor, taken } from './direct-resources.js';

const { fields: fieldsKind, incomingRequest, incomingBody, outgoingResponse, outgoingBody, responseOutparam, futureTrailers } = resourceTables;

/** wasi:http/types.method's cases, by discriminant (`other` is the last, with a string). */
const methodTags = ['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch'] as const;
const methodOther = methodTags.length;

/** header-error's cases, by discriminant. */
const headerErrorTags: readonly HeaderError['tag'][] = ['invalid-syntax', 'forbidden', 'immutable'];

/** error-code's cases, by discriminant (wasi:http/types@0.2). */
const errorCodeTags = [
  'DNS-timeout', 'DNS-error', 'destination-not-found', 'destination-unavailable', 'destination-IP-prohibited',
  'destination-IP-unroutable', 'connection-refused', 'connection-terminated', 'connection-timeout', 'connection-read-timeout',
  'connection-write-timeout', 'connection-limit-reached', 'TLS-protocol-error', 'TLS-certificate-error', 'TLS-alert-received',
  'HTTP-request-denied', 'HTTP-request-length-required', 'HTTP-request-body-size', 'HTTP-request-method-invalid', 'HTTP-request-URI-invalid',
  'HTTP-request-URI-too-long', 'HTTP-request-header-section-size', 'HTTP-request-header-size', 'HTTP-request-trailer-section-size',
  'HTTP-request-trailer-size', 'HTTP-response-incomplete', 'HTTP-response-header-section-size', 'HTTP-response-header-size',
  'HTTP-response-body-size', 'HTTP-response-trailer-section-size', 'HTTP-response-trailer-size', 'HTTP-response-transfer-coding',
  'HTTP-response-content-coding', 'HTTP-response-timeout', 'HTTP-upgrade-failed', 'HTTP-protocol-error', 'loop-detected',
  'configuration-error', 'internal-error',
] as const;

/** option<string> at `retptr`: tag, then the string at +4. */
function storeOptionalString(state: DirectState, site: ImportSite, retptr: number, text: string | undefined): void {
  if (text === undefined) {
    view(state.memory).setInt8(retptr, 0);
    return;
  }
  view(state.memory).setInt8(retptr, 1);
  const ptr = encodeString(state.memory, reallocOf(state, site), text);
  storeList(state.memory, retptr + 4, ptr, encodedLength);
}

/** result<own T> (a unit error) at `retptr`: ok with the new handle at +4, or err. */
function storeOwnResult(state: DirectState, retptr: number, kind: number, make: () => unknown): void {
  let object: unknown;
  try {
    object = make();
  } catch (err) {
    errorPayload(err);
    view(state.memory).setInt8(retptr, 1);
    return;
  }
  const handle = ownHandleFor(state, kind, object);
  const dv = view(state.memory);
  dv.setInt8(retptr, 0);
  dv.setInt32(retptr + 4, handle, true);
}

/** err(header-error) at `retptr`, its case at `retptr + offset`; a thrown Error is a host bug and traps. */
function storeHeaderError(state: DirectState, retptr: number, offset: number, err: unknown): void {
  const tag = headerErrorTags.indexOf((errorPayload(err) as HeaderError | undefined)?.tag as HeaderError['tag']);
  if (tag < 0) throw new TypeError('invalid variant specified for HeaderError');
  view(state.memory).setInt8(retptr, 1);
  view(state.memory).setInt8(retptr + offset, tag);
}

/** result<_, header-error> at `retptr` (the error's case at +1). */
function storeHeaderResult(state: DirectState, retptr: number, change: () => void): void {
  try {
    change();
  } catch (err) {
    storeHeaderError(state, retptr, 1, err);
    return;
  }
  view(state.memory).setInt8(retptr, 0);
}

/** list<tuple<string, list<u8>>> at (ptr, len): 16 bytes per entry. */
function readEntries(memory: WebAssembly.Memory, base: number, count: number): [string, Uint8Array][] {
  const entries: [string, Uint8Array][] = [];
  for (let i = 0; i < count; i++) {
    const dv = view(memory);
    const at = base + i * 16;
    entries.push([readString(memory, dv.getInt32(at, true), dv.getInt32(at + 4, true)), readBytes(memory, dv.getInt32(at + 8, true), dv.getInt32(at + 12, true))]);
  }
  return entries;
}

/** list<tuple<string, list<u8>>> into `retptr`: the list first, then each name and value. */
function storeEntries(state: DirectState, site: ImportSite, retptr: number, entries: readonly [string, Uint8Array][]): void {
  const { memory } = state;
  const realloc = reallocOf(state, site);
  const base = realloc(0, 0, 4, entries.length * 16);
  for (let i = 0; i < entries.length; i++) {
    const at = base + i * 16;
    const namePtr = encodeString(memory, realloc, entries[i]![0]);
    storeList(memory, at, namePtr, encodedLength);
    const value = entries[i]![1];
    storeList(memory, at + 8, storeBytes(memory, realloc, value), value.byteLength);
  }
  storeList(memory, retptr, base, entries.length);
}

const dropOf =
  (kind: number): Lowering =>
  ({ running }) =>
  (handle: number) =>
    dropHandle(runningState(running), kind, handle);

const fieldsLowerings: Record<string, Lowering> = {
  '[resource-drop]fields': dropOf(fieldsKind),
  '[constructor]fields': ({ running }) => () => ownHandleFor(runningState(running), fieldsKind, new Fields()),
  '[static]fields.from-list': ({ running }) => (ptr: number, len: number, retptr: number) => {
    const state = runningState(running);
    const entries = readEntries(state.memory, ptr, len);
    let fields: Fields;
    try {
      fields = Fields.fromList(entries);
    } catch (err) {
      // result<own fields, header-error>: the payload sits at +4 (a handle's alignment).
      storeHeaderError(state, retptr, 4, err);
      return;
    }
    const handle = ownHandleFor(state, fieldsKind, fields);
    view(state.memory).setInt8(retptr, 0);
    view(state.memory).setInt32(retptr + 4, handle, true);
  },
  '[method]fields.get': (site) => (self: number, namePtr: number, nameLen: number, retptr: number) => {
    const state = runningState(site.running);
    const values = borrowed<Fields>(state, fieldsKind, self).get(readString(state.memory, namePtr, nameLen));
    const realloc = reallocOf(state, site);
    const base = realloc(0, 0, 4, values.length * 8);
    for (let i = 0; i < values.length; i++) storeList(state.memory, base + i * 8, storeBytes(state.memory, realloc, values[i]!), values[i]!.byteLength);
    storeList(state.memory, retptr, base, values.length);
  },
  '[method]fields.has': ({ running }) => (self: number, namePtr: number, nameLen: number) => {
    const state = runningState(running);
    return borrowed<Fields>(state, fieldsKind, self).has(readString(state.memory, namePtr, nameLen)) ? 1 : 0;
  },
  '[method]fields.set': ({ running }) => (self: number, namePtr: number, nameLen: number, valuesPtr: number, valuesLen: number, retptr: number) => {
    const state = runningState(running);
    const fields = borrowed<Fields>(state, fieldsKind, self);
    const name = readString(state.memory, namePtr, nameLen);
    const values: Uint8Array[] = [];
    for (let i = 0; i < valuesLen; i++) {
      const dv = view(state.memory);
      values.push(readBytes(state.memory, dv.getInt32(valuesPtr + i * 8, true), dv.getInt32(valuesPtr + i * 8 + 4, true)));
    }
    storeHeaderResult(state, retptr, () => fields.set(name, values));
  },
  '[method]fields.delete': ({ running }) => (self: number, namePtr: number, nameLen: number, retptr: number) => {
    const state = runningState(running);
    const fields = borrowed<Fields>(state, fieldsKind, self);
    const name = readString(state.memory, namePtr, nameLen);
    storeHeaderResult(state, retptr, () => fields.delete(name));
  },
  '[method]fields.append': ({ running }) => (self: number, namePtr: number, nameLen: number, valuePtr: number, valueLen: number, retptr: number) => {
    const state = runningState(running);
    const fields = borrowed<Fields>(state, fieldsKind, self);
    const name = readString(state.memory, namePtr, nameLen);
    const value = readBytes(state.memory, valuePtr, valueLen);
    storeHeaderResult(state, retptr, () => fields.append(name, value));
  },
  '[method]fields.entries': (site) => (self: number, retptr: number) => {
    const state = runningState(site.running);
    storeEntries(state, site, retptr, borrowed<Fields>(state, fieldsKind, self).entries());
  },
  '[method]fields.clone': ({ running }) => (self: number) => {
    const state = runningState(running);
    return ownHandleFor(state, fieldsKind, borrowed<Fields>(state, fieldsKind, self).clone());
  },
};

const requestLowerings: Record<string, Lowering> = {
  '[resource-drop]incoming-request': dropOf(incomingRequest),
  '[method]incoming-request.method': (site) => (self: number, retptr: number) => {
    const state = runningState(site.running);
    const method: WasiMethod = borrowed<IncomingRequest>(state, incomingRequest, self).method();
    if (method.tag === 'other') {
      view(state.memory).setInt8(retptr, methodOther);
      const ptr = encodeString(state.memory, reallocOf(state, site), method.val);
      storeList(state.memory, retptr + 4, ptr, encodedLength);
      return;
    }
    view(state.memory).setInt8(retptr, methodTags.indexOf(method.tag));
  },
  '[method]incoming-request.path-with-query': (site) => (self: number, retptr: number) => {
    const state = runningState(site.running);
    storeOptionalString(state, site, retptr, borrowed<IncomingRequest>(state, incomingRequest, self).pathWithQuery());
  },
  '[method]incoming-request.scheme': (site) => (self: number, retptr: number) => {
    const state = runningState(site.running);
    const scheme = borrowed<IncomingRequest>(state, incomingRequest, self).scheme();
    const dv = view(state.memory);
    dv.setInt8(retptr, 1);
    if (scheme.tag !== 'other') {
      dv.setInt8(retptr + 4, scheme.tag === 'HTTP' ? 0 : 1);
      return;
    }
    dv.setInt8(retptr + 4, 2);
    const ptr = encodeString(state.memory, reallocOf(state, site), scheme.val);
    storeList(state.memory, retptr + 8, ptr, encodedLength);
  },
  '[method]incoming-request.authority': (site) => (self: number, retptr: number) => {
    const state = runningState(site.running);
    storeOptionalString(state, site, retptr, borrowed<IncomingRequest>(state, incomingRequest, self).authority());
  },
  '[method]incoming-request.headers': ({ running }) => (self: number) => {
    const state = runningState(running);
    return ownHandleFor(state, fieldsKind, borrowed<IncomingRequest>(state, incomingRequest, self).headers());
  },
  '[method]incoming-request.consume': ({ running }) => (self: number, retptr: number) => {
    const state = runningState(running);
    const request = borrowed<IncomingRequest>(state, incomingRequest, self);
    storeOwnResult(state, retptr, incomingBody, () => request.consume());
  },
  '[resource-drop]incoming-body': dropOf(incomingBody),
  '[method]incoming-body.stream': ({ running }) => (self: number, retptr: number) => {
    const state = runningState(running);
    const body = borrowed<IncomingBody>(state, incomingBody, self);
    storeOwnResult(state, retptr, resourceTables.inputStream, (): InputStream => body.stream());
  },
  '[static]incoming-body.finish': ({ running }) => (self: number) => {
    const state = runningState(running);
    return ownHandleFor(state, futureTrailers, IncomingBody.finish(taken<IncomingBody>(state, incomingBody, self)));
  },
  '[resource-drop]future-trailers': dropOf(futureTrailers),
};

const responseLowerings: Record<string, Lowering> = {
  '[resource-drop]outgoing-response': dropOf(outgoingResponse),
  '[constructor]outgoing-response': ({ running }) => (headers: number) => {
    const state = runningState(running);
    return ownHandleFor(state, outgoingResponse, new OutgoingResponse(taken<Fields>(state, fieldsKind, headers)));
  },
  '[method]outgoing-response.status-code': ({ running }) => (self: number) => borrowed<OutgoingResponse>(runningState(running), outgoingResponse, self).statusCode(),
  '[method]outgoing-response.set-status-code': ({ running }) => (self: number, status: number) => {
    const response = borrowed<OutgoingResponse>(runningState(running), outgoingResponse, self);
    try {
      response.setStatusCode(status & 0xffff);
    } catch (err) {
      errorPayload(err);
      return 1;
    }
    return 0;
  },
  '[method]outgoing-response.headers': ({ running }) => (self: number) => {
    const state = runningState(running);
    return ownHandleFor(state, fieldsKind, borrowed<OutgoingResponse>(state, outgoingResponse, self).headers());
  },
  '[method]outgoing-response.body': ({ running }) => (self: number, retptr: number) => {
    const state = runningState(running);
    const response = borrowed<OutgoingResponse>(state, outgoingResponse, self);
    storeOwnResult(state, retptr, outgoingBody, () => response.body());
  },
  '[resource-drop]outgoing-body': dropOf(outgoingBody),
  '[method]outgoing-body.write': ({ running }) => (self: number, retptr: number) => {
    const state = runningState(running);
    const body = borrowed<OutgoingBody>(state, outgoingBody, self);
    storeOwnResult(state, retptr, resourceTables.outputStream, (): OutputStream => body.write());
  },
  // result<_, error-code>: the host's finish never fails (trailers are not carried), so only ok is written.
  '[static]outgoing-body.finish': ({ running }) => (self: number, hasTrailers: number, trailers: number, retptr: number) => {
    const state = runningState(running);
    const body = taken<OutgoingBody>(state, outgoingBody, self);
    if (hasTrailers > 1) throw new TypeError('invalid variant discriminant for option');
    OutgoingBody.finish(body, hasTrailers === 1 ? taken<Fields>(state, fieldsKind, trailers) : undefined);
    view(state.memory).setInt8(retptr, 0);
  },
  '[resource-drop]response-outparam': dropOf(responseOutparam),
  // result<own outgoing-response, error-code>, flattened: the case, then the response's handle or the
  // error's case and payload. The host reports an error response by its case alone (runtime/call-incoming-handler.ts).
  '[static]response-outparam.set': ({ running }) => (self: number, tag: number, value: number) => {
    const state = runningState(running);
    const param = taken<ResponseOutparam>(state, responseOutparam, self);
    switch (tag) {
      case 0:
        ResponseOutparam.set(param, { tag: 'ok', val: taken<OutgoingResponse>(state, outgoingResponse, value) });
        return;
      case 1: {
        const code = errorCodeTags[value];
        if (code === undefined) throw new TypeError('invalid variant discriminant for ErrorCode');
        ResponseOutparam.set(param, { tag: 'err', val: { tag: code } as WasiHttpErrorCode });
        return;
      }
      default:
        throw new TypeError('invalid variant discriminant for expected');
    }
  },
};

/** Keyed as direct-plan.ts's table: `wasi:http/types#<function>`. */
export const wasiHttpLowerings: Readonly<Record<string, Lowering>> = Object.fromEntries(
  Object.entries({ ...fieldsLowerings, ...requestLowerings, ...responseLowerings }).map(([name, lowering]) => [`wasi:http/types#${name}`, lowering]),
);

