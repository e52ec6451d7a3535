// wasmlet's JavaScript guest SDK: `import { text, json, log } from 'wasmlet'`.
// Bundled into the component by toolchains/js/build.sh; see README.md.
import './globals.js';

export { text, json, html, response } from './response.js';
export { queryParams, QueryParams, header, bodyText, bodyJson, isDirectInvocation } from './request.js';
export { log, config } from './host.js';
export { encodeUtf8, decodeUtf8 } from './utf8.js';
