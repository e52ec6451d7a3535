/* wasmlet C guest SDK: implement `wasmlet_handle` and link the SDK's C files (toolchains/c/build.sh does).
 *
 * The glue in wasmlet*.c speaks the canonical ABI of sdk/wit/function.wit by
 * hand (no wit-bindgen), so a function is plain C:
 *
 *   #include "wasmlet.h"
 *   int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res) {
 *     wasmlet_response_header(res, "content-type", "text/plain");
 *     wasmlet_response_write_str(res, "hello\n");
 *     return 0;   // non-zero = guest error (see wasmlet_response_error)
 *   }
 *
 * Queue and schedule handlers are opt-in (wasmlet-queue.h, wasmlet-schedule.h);
 * sending messages is in wasmlet-publisher.h, outbound HTTP requests in
 * wasmlet-http.h. A function without an HTTP handler compiles with
 * -DWASMLET_NO_HTTP_HANDLER (e.g. in its build.flags).
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

/* A message attribute: the same (name, value) pair as a header. */
typedef wasmlet_header wasmlet_attribute;

/* A wasmlet_str of a string literal, e.g. {WASMLET_STR("from"), WASMLET_STR("http")}. */
#define WASMLET_STR(literal) {(literal), sizeof(literal) - 1}

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

/* Marks what the handler macros define as wasm exports; natively it is nothing, so code using
 * the macros also compiles into native unit tests. */
#ifdef __wasm__
#define WASMLET_EXPORT_AS(name) __attribute__((export_name(name)))
#else
#define WASMLET_EXPORT_AS(name)
#endif

#include "wasmlet-http.h"
#include "wasmlet-publisher.h"
#include "wasmlet-queue.h"
#include "wasmlet-objects.h"
#include "wasmlet-schedule.h"

#endif
