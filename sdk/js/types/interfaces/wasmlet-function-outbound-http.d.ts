declare module 'wasmlet:function/outbound-http@0.1.0' {
  /**
   * Sends `request` and waits for the whole response. Redirects (301, 302, 303, 307, 308) are
   * followed, at most 5, each hop checked against the grant like the first.
   */
  export function send(request: Request): Response;
  export interface Request {
    /**
     * Upper-case method, e.g. "GET", "POST".
     */
    method: string,
    /**
     * An absolute `http://` or `https://` URL.
     */
    url: string,
    /**
     * Sent as given; the host adds `host` and `content-length`.
     */
    headers: Array<[string, string]>,
    body: Uint8Array,
  }
  export interface Response {
    status: number,
    /**
     * Header names are lower-case; a repeated header appears once per value.
     */
    headers: Array<[string, string]>,
    body: Uint8Array,
  }
  /**
   * # Variants
   * 
   * ## `"denied"`
   * 
   * The origin (or the address it resolved to) is not granted by `allowed_outbound_hosts`.
   * ## `"invalid-request"`
   * 
   * The method, URL or a header is malformed.
   * ## `"dns-error"`
   * 
   * The name did not resolve.
   * ## `"connection-refused"`
   * 
   * ## `"connection-timeout"`
   * 
   * Connecting took longer than `[limits] outbound_connect_timeout_ms`.
   * ## `"timeout"`
   * 
   * No whole response within `[limits] outbound_timeout_ms` or the invocation's deadline.
   * ## `"tls-error"`
   * 
   * The certificate did not verify, or the handshake failed.
   * ## `"response-too-large"`
   * 
   * The responses of this invocation exceeded `[limits] outbound_response_bytes`.
   * ## `"too-many-requests"`
   * 
   * This invocation already made `[limits] outbound_requests` requests.
   * ## `"protocol-error"`
   * 
   * Anything else that broke the connection or the protocol (a redirect loop included).
   */
  export type ErrorCode = 'denied' | 'invalid-request' | 'dns-error' | 'connection-refused' | 'connection-timeout' | 'timeout' | 'tls-error' | 'response-too-large' | 'too-many-requests' | 'protocol-error';
  export interface HttpError {
    code: ErrorCode,
    /**
     * A readable explanation, for logs; not a stable interface.
     */
    message: string,
  }
}
