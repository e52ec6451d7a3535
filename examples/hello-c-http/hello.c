/* GET /hello/c-http?name=ada -> "Hello, ada, from C over wasi:http!"
 *
 * The same function as examples/hello-c, written against the standard world wasi:http/proxy
 * instead of wasmlet's: no SDK, only the bindings `wit-bindgen c` generates at build time
 * (proxy.h, toolchains/c-http/build.sh). Direct invocations arrive as POST with a JSON body
 * such as {"name":"ada"}, as for hello-c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy.h"

typedef wasi_http_types_own_incoming_request_t own_request;
typedef wasi_http_types_own_response_outparam_t own_outparam;

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The value of `key` in a query string ("a=1&name=ada"), "+" and %XX decoded, NUL-terminated
 * and truncated to out_size - 1; 0 when the key is absent. The rule of the C SDK's
 * wasmlet_query_param, so both hellos read the same names. */
static int query_param(const char *q, size_t len, const char *key, char *out, size_t out_size) {
  const char *end = q + len;
  size_t key_len = strlen(key);
  while (q < end) {
    const char *amp = memchr(q, '&', (size_t)(end - q));
    const char *pair_end = amp ? amp : end;
    const char *eq = memchr(q, '=', (size_t)(pair_end - q));
    const char *name_end = eq ? eq : pair_end;
    if ((size_t)(name_end - q) == key_len && memcmp(q, key, key_len) == 0) {
      size_t n = 0;
      for (const char *v = eq ? eq + 1 : pair_end; v < pair_end && n + 1 < out_size; v++) {
        if (*v == '+') {
          out[n++] = ' ';
        } else if (*v == '%' && v + 2 < pair_end && hex_value(v[1]) >= 0 && hex_value(v[2]) >= 0) {
          out[n++] = (char)(hex_value(v[1]) * 16 + hex_value(v[2]));
          v += 2;
        } else {
          out[n++] = *v;
        }
      }
      if (out_size) out[n] = '\0';
      return 1;
    }
    q = pair_end + 1;
  }
  return 0;
}

/* {"name":"ada"} -> ada: a tiny scan is enough for a greeting, no JSON library needed. */
static int name_from_json(const uint8_t *data, size_t len, char *out, size_t out_size) {
  const char *body = (const char *)data, *key = "\"name\"";
  size_t key_len = strlen(key);
  for (size_t i = 0; i + key_len < len; i++) {
    if (memcmp(body + i, key, key_len) != 0) continue;
    size_t j = i + key_len;
    while (j < len && (body[j] == ' ' || body[j] == ':')) j++;
    if (j >= len || body[j] != '"') return 0;
    size_t n = 0;
    for (j++; j < len && body[j] != '"' && n + 1 < out_size; j++) out[n++] = body[j];
    out[n] = '\0';
    return 1;
  }
  return 0;
}

/* The request body, read to its end (the host has already capped it at max_body_bytes);
 * *len = 0 and NULL when there is none. The caller frees it. */
static uint8_t *read_body(own_request request, size_t *len) {
  uint8_t *data = NULL;
  *len = 0;
  wasi_http_types_own_incoming_body_t body;
  if (!wasi_http_types_method_incoming_request_consume(wasi_http_types_borrow_incoming_request(request), &body)) return NULL;
  wasi_http_types_own_input_stream_t stream;
  if (wasi_http_types_method_incoming_body_stream(wasi_http_types_borrow_incoming_body(body), &stream)) {
    for (;;) {
      proxy_list_u8_t chunk;
      wasi_io_streams_stream_error_t err;
      if (!wasi_io_streams_method_input_stream_blocking_read(wasi_io_streams_borrow_input_stream(stream), 65536, &chunk, &err)) {
        if (err.tag == WASI_IO_STREAMS_STREAM_ERROR_LAST_OPERATION_FAILED) wasi_io_error_error_drop_own(err.val.last_operation_failed);
        break; /* closed: the whole body has been read */
      }
      uint8_t *grown = chunk.len ? realloc(data, *len + chunk.len) : data;
      if (grown == NULL) abort();
      if (chunk.len) memcpy(grown + *len, chunk.ptr, chunk.len);
      data = grown;
      *len += chunk.len;
      proxy_list_u8_free(&chunk);
    }
    wasi_io_streams_input_stream_drop_own(stream); /* a child of the body: dropped first */
  }
  wasi_http_types_incoming_body_drop_own(body);
  return data;
}

/* Writes all of `text` to an output stream (blocking-write-and-flush takes up to 4096 bytes). */
static int write_all(wasi_io_streams_borrow_output_stream_t stream, const char *text, size_t len) {
  while (len > 0) {
    size_t n = len < 4096 ? len : 4096;
    proxy_list_u8_t bytes = {(uint8_t *)text, n};
    wasi_io_streams_stream_error_t err;
    if (!wasi_io_streams_method_output_stream_blocking_write_and_flush(stream, &bytes, &err)) {
      if (err.tag == WASI_IO_STREAMS_STREAM_ERROR_LAST_OPERATION_FAILED) wasi_io_error_error_drop_own(err.val.last_operation_failed);
      return 0;
    }
    text += n;
    len -= n;
  }
  return 1;
}

/* A line on stdout: the host keeps it in the function's log at level info (hello-c's wasmlet_log). */
static void log_line(const char *line) {
  wasi_cli_stdout_own_output_stream_t out = wasi_cli_stdout_get_stdout();
  write_all(wasi_io_streams_borrow_output_stream(out), line, strlen(line));
  wasi_io_streams_output_stream_drop_own(out);
}

/* Answers with an error-code instead of a response (the host turns it into a 500). */
static void fail(own_outparam response_out) {
  wasi_http_types_result_own_outgoing_response_error_code_t result = {.is_err = true};
  result.val.err.tag = WASI_HTTP_TYPES_ERROR_CODE_INTERNAL_ERROR;
  result.val.err.val.internal_error.is_some = false;
  wasi_http_types_static_response_outparam_set(response_out, &result);
}

/* 200, content-type text/plain, `text` as the body. */
static void respond(own_outparam response_out, const char *text) {
  static const char content_type[] = "text/plain; charset=utf-8";
  wasi_http_types_tuple2_field_name_field_value_t header;
  proxy_string_set(&header.f0, "content-type");
  header.f1.ptr = (uint8_t *)content_type;
  header.f1.len = sizeof content_type - 1;
  wasi_http_types_list_tuple2_field_name_field_value_t list = {&header, 1};
  wasi_http_types_own_fields_t headers;
  wasi_http_types_header_error_t header_error;
  if (!wasi_http_types_static_fields_from_list(&list, &headers, &header_error)) return fail(response_out);

  wasi_http_types_own_outgoing_response_t response = wasi_http_types_constructor_outgoing_response(headers);
  wasi_http_types_own_outgoing_body_t body;
  if (!wasi_http_types_method_outgoing_response_body(wasi_http_types_borrow_outgoing_response(response), &body)) {
    wasi_http_types_outgoing_response_drop_own(response);
    return fail(response_out);
  }
  /* Status (200 by default) and headers are final here; the body follows. */
  wasi_http_types_result_own_outgoing_response_error_code_t result = {.is_err = false};
  result.val.ok = response;
  wasi_http_types_static_response_outparam_set(response_out, &result);

  wasi_http_types_own_output_stream_t stream;
  if (wasi_http_types_method_outgoing_body_write(wasi_http_types_borrow_outgoing_body(body), &stream)) {
    write_all(wasi_io_streams_borrow_output_stream(stream), text, strlen(text));
    wasi_io_streams_output_stream_drop_own(stream); /* a child of the body: dropped before finish */
  }
  wasi_http_types_error_code_t finish_error;
  if (!wasi_http_types_static_outgoing_body_finish(body, NULL, &finish_error)) wasi_http_types_error_code_free(&finish_error);
}

void exports_wasi_http_incoming_handler_handle(own_request request, own_outparam response_out) {
  wasi_http_types_borrow_incoming_request_t req = wasi_http_types_borrow_incoming_request(request);
  char name[128] = "world";
  int found = 0;
  proxy_string_t path;
  if (wasi_http_types_method_incoming_request_path_with_query(req, &path)) {
    const char *q = memchr(path.ptr, '?', path.len);
    if (q) found = query_param(q + 1, path.len - (size_t)(q + 1 - (const char *)path.ptr), "name", name, sizeof name);
    proxy_string_free(&path);
  }
  if (!found) {
    size_t len;
    uint8_t *body = read_body(request, &len);
    name_from_json(body, len, name, sizeof name);
    free(body);
  }
  wasi_http_types_incoming_request_drop_own(request);

  char text[256];
  snprintf(text, sizeof text, "Hello, %s, from C over wasi:http!\n", name);
  log_line("greeted someone\n");
  respond(response_out, text);
}
