/* wasmlet C guest SDK: implement `wasmlet_handle` and link wasmlet.c.
 *
 * The glue in wasmlet.c speaks the canonical ABI of sdk/wit/function.wit by
 * hand (no wit-bindgen), so a function is plain C:
 *
 *   #include "wasmlet.h"
 *   int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res) {
 *     wasmlet_response_header(res, "content-type", "text/plain");
 *     wasmlet_response_write_str(res, "hello\n");
 *     return 0;   // non-zero = guest error (see wasmlet_response_error)
 *   }
 */
#ifndef WASMLET_H
#define WASMLET_H

#include <stddef.h>
#include <stdint.h>

/* A byte string that is not NUL-terminated. */
typedef struct {
  const char *ptr;
  size_t len;
} wasmlet_str;

/* Layout is the canonical ABI's tuple<string, string> on wasm32 (16 bytes). */
typedef struct {
  wasmlet_str name;
  wasmlet_str value;
} wasmlet_header;

typedef struct {
  wasmlet_str method;   /* "GET", "POST", ... */
  wasmlet_str path;     /* "/hello/c" */
  wasmlet_str query;    /* "name=ada", "" when absent */
  const wasmlet_header *headers;
  size_t headers_len;   /* names are lower-case */
  const uint8_t *body;
  size_t body_len;
} wasmlet_request;

typedef struct wasmlet_response wasmlet_response;

/* The user's handler. Valid only during the call: copy what must outlive it. */
int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res);

/* Response building; the status defaults to 200. */
void wasmlet_response_status(wasmlet_response *res, uint16_t status);
void wasmlet_response_header(wasmlet_response *res, const char *name, const char *value);
void wasmlet_response_write(wasmlet_response *res, const void *data, size_t len);
void wasmlet_response_write_str(wasmlet_response *res, const char *text);
/* Marks the call as a guest error (host answers 500); return non-zero after it. */
void wasmlet_response_error(wasmlet_response *res, const char *message);

/* Looks up `key` in the query string and URL-decodes it into `out`
 * (NUL-terminated, truncated to out_size - 1). Returns 1 when found. */
int wasmlet_query_param(const wasmlet_request *req, const char *key, char *out, size_t out_size);
/* Finds a header by lower-case name; returns 1 and sets *value when found. */
int wasmlet_header_get(const wasmlet_request *req, const char *name, wasmlet_str *value);

typedef enum { WASMLET_DEBUG = 0, WASMLET_INFO = 1, WASMLET_WARN = 2, WASMLET_ERROR = 3 } wasmlet_log_level;
void wasmlet_log(wasmlet_log_level level, const char *message);
/* Reads `key` from the manifest's [config] into `out` (NUL-terminated,
 * truncated to out_size - 1). Returns 1 when the key exists. */
int wasmlet_config(const char *key, char *out, size_t out_size);

#endif
