// Where `--otlp-endpoint` sends traces, checked when the host's options are (without loading the SDK).
import { WasmletError } from '../errors/wasmlet-error.js';

/** The OTLP/HTTP path of traces, appended to a base endpoint (as OTEL_EXPORTER_OTLP_ENDPOINT is read). */
const tracesPath = '/v1/traces';

/**
 * The traces URL of `--otlp-endpoint`: a base such as `http://127.0.0.1:4318` gets `/v1/traces`
 * appended; a URL already ending in `/v1/traces` is used as it is.
 */
export function otlpTracesUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new WasmletError('bad_request', `--otlp-endpoint must be an http:// or https:// URL, got ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WasmletError('bad_request', `--otlp-endpoint must be an http:// or https:// URL (OTLP/HTTP), got ${JSON.stringify(endpoint)}`);
  }
  if (url.pathname.endsWith(tracesPath)) return url.href;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${tracesPath}`;
  return url.href;
}
