/* Outbound HTTP: the contract's outbound-http interface. Included by wasmlet.h. The manifest must
 * grant the origin: allowed_outbound_hosts = ["https://api.example.com"] (none by default).
 * `wasmlet_http_send` returns once the whole response has arrived (redirects followed).
 *
 *   wasmlet_http_response res;
 *   wasmlet_http_error err;
 *   if (wasmlet_http_get("https://api.example.com/v1/rates", &res, &err) != 0) {
 *     wasmlet_log(WASMLET_ERROR, err.message);          // e.g. err.code == WASMLET_HTTP_DENIED
 *     wasmlet_http_error_free(&err);
 *     return 1;
 *   }
 *   printf("%u %s\n", res.status, (const char *)res.body); // the body is followed by a NUL
 *   wasmlet_http_response_free(&res);
 */
#ifndef WASMLET_HTTP_H
#define WASMLET_HTTP_H

#include "wasmlet.h"

/* Why there is no response; the values are the WIT enum's (error-code, sdk/wit/function.wit). */
typedef enum {
  WASMLET_HTTP_DENIED = 0,             /* the origin is not in allowed_outbound_hosts */
  WASMLET_HTTP_INVALID_REQUEST = 1,    /* the method, URL or a header is malformed */
  WASMLET_HTTP_DNS_ERROR = 2,          /* the name did not resolve */
  WASMLET_HTTP_CONNECTION_REFUSED = 3,
  WASMLET_HTTP_CONNECTION_TIMEOUT = 4, /* [limits] outbound_connect_timeout_ms */
  WASMLET_HTTP_TIMEOUT = 5,            /* [limits] outbound_timeout_ms, or the invocation's deadline */
  WASMLET_HTTP_TLS_ERROR = 6,
  WASMLET_HTTP_RESPONSE_TOO_LARGE = 7, /* [limits] outbound_response_bytes */
  WASMLET_HTTP_TOO_MANY_REQUESTS = 8,  /* [limits] outbound_requests */
  WASMLET_HTTP_PROTOCOL_ERROR = 9,     /* anything else (a redirect loop included) */
} wasmlet_http_error_code;

typedef struct {
  const char *method;             /* upper-case, NUL-terminated; NULL means "GET" */
  const char *url;                /* absolute http:// or https:// URL, NUL-terminated */
  const wasmlet_header *headers;  /* sent as given, e.g. {WASMLET_STR("accept"), WASMLET_STR("text/plain")} */
  size_t headers_len;
  const void *body;
  size_t body_len;
} wasmlet_http_request;

/* Owned by the caller after a successful send: free with wasmlet_http_response_free. */
typedef struct {
  uint16_t status;
  wasmlet_header *headers; /* names lower-case, values not NUL-terminated; NULL when none */
  size_t headers_len;
  uint8_t *body;           /* never NULL; followed by a NUL not counted in body_len, so text is a C string */
  size_t body_len;
} wasmlet_http_response;

/* Owned by the caller after a failed send: free with wasmlet_http_error_free. */
typedef struct {
  wasmlet_http_error_code code;
  char *message; /* NUL-terminated, for logs (not a stable interface); NULL after a success */
} wasmlet_http_error;

/* Sends `req` (copied by the host: the caller keeps its buffers) and waits for the whole
 * response. Returns 0 and fills `res` (any status, 4xx and 5xx included: they are answers), or
 * returns 1 and fills `err`. The other of the two is zeroed, so freeing both is always safe.
 * `err` may be NULL when the reason does not matter. */
int wasmlet_http_send(const wasmlet_http_request *req, wasmlet_http_response *res, wasmlet_http_error *err);

/* wasmlet_http_send of a GET of `url` without headers or body. */
int wasmlet_http_get(const char *url, wasmlet_http_response *res, wasmlet_http_error *err);

/* A header of the response by lower-case name: 1 and its first value in *value when present. */
int wasmlet_http_response_header(const wasmlet_http_response *res, const char *name, wasmlet_str *value);

/* Free what a send filled in and zero the struct; safe on a zeroed one and twice in a row. */
void wasmlet_http_response_free(wasmlet_http_response *res);
void wasmlet_http_error_free(wasmlet_http_error *err);

/* The code's name as in the WIT ("denied", "dns-error", ...); "unknown" outside the enum. */
const char *wasmlet_http_error_name(wasmlet_http_error_code code);

#endif
