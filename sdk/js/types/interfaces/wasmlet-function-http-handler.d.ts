declare module 'wasmlet:function/http-handler@0.1.0' {
  /**
   * `err(message)` is a guest error: the host answers 500 and logs the message.
   */
  export function handle(request: HttpRequest): HttpResponse;
  export interface HttpRequest {
    /**
     * Upper-case method, e.g. "GET".
     */
    method: string,
    /**
     * Path without the query string, e.g. "/hello/c".
     */
    path: string,
    /**
     * Raw query string without the leading '?', e.g. "name=ada" ("" when absent).
     */
    query: string,
    /**
     * Header names are lower-case; a repeated header appears once per value.
     */
    headers: Array<[string, string]>,
    body: Uint8Array,
  }
  export interface HttpResponse {
    status: number,
    headers: Array<[string, string]>,
    body: Uint8Array,
  }
}
