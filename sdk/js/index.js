// wasmlet's JavaScript guest SDK: `import { text, json, log, send, fetchSync } from 'wasmlet'`.
// Bundled into the component by toolchains/js/build.sh; see README.md.
import './globals.js';

export { text, json, html, response } from './response.js';
export { queryParams, QueryParams, header, bodyText, bodyJson, isDirectInvocation } from './request.js';
export { ok, retry, fail, attribute } from './queue.js';
export { send, sendJson, SendError } from './publisher.js';
export { fetch, fetchSync, FetchError } from './fetch.js';
export { FetchHeaders } from './fetch-headers.js';
export { FetchResponse } from './fetch-response.js';
export { log, config } from './host.js';
export { openStore, KeyValueStore, KeyValueError } from './key-value.js';
export { trap } from './trap.js';
export { encodeUtf8, decodeUtf8 } from './utf8.js';
