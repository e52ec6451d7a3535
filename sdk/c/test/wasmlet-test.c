/* Native tests of the C SDK (sdk/c/wasmlet.c), run by run.sh. wasmlet.c is included, not linked,
 * so the tests can look inside the opaque wasmlet_response; the two host imports are stubbed
 * below. The canonical-ABI glue (export, post-return, get-config) writes 4-byte pointers at fixed
 * offsets, so its tests run only in a 32-bit build (run.sh adds one when `cc -m32` works). */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include <stdint.h>
#include <stdlib.h>

/* wasmlet.c's import/export attributes mean nothing to a native compiler. */
#pragma GCC diagnostic ignored "-Wattributes"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wunknown-attributes"
#endif
#include "../wasmlet.c"

#include "harness.h"

#if UINTPTR_MAX == 0xffffffffu
#define ABI32 1 /* pointers and size_t are 4 bytes, as on wasm32 */
#else
#define ABI32 0
#endif

/* ---- host import stubs ---------------------------------------------------------------------- */

static struct {
  int calls;
  int32_t level;
  char message[256];
} host_log;

void wasmlet_host_log(int32_t level, const char *ptr, size_t len) {
  host_log.calls++;
  host_log.level = level;
  size_t n = len < sizeof host_log.message - 1 ? len : sizeof host_log.message - 1;
  memcpy(host_log.message, ptr, n);
  host_log.message[n] = '\0';
}

/* The manifest's [config] as the stub host sees it. */
static const char *const config_table[][2] = {{"colour", "blue"}, {"empty", ""}, {"long", "abcdefghij"}};

/* Lowers option<string> the way jco's host does: tag u8 @0, string pointer @4, length @8; a
 * non-empty string is allocated with the guest's cabi_realloc, an empty one is not (pointer 1). */
void wasmlet_host_get_config(const char *ptr, size_t len, uint8_t *ret) {
  ret[0] = 0;
  for (size_t i = 0; i < sizeof config_table / sizeof config_table[0]; i++) {
    const char *key = config_table[i][0];
    if (strlen(key) != len || memcmp(key, ptr, len) != 0) continue;
#if ABI32
    const char *value = config_table[i][1];
    size_t value_len = strlen(value);
    char *copy = value_len ? cabi_realloc(NULL, 0, 1, value_len) : (char *)1;
    memcpy(copy, value, value_len);
    ret[0] = 1;
    *(char **)(ret + 4) = copy;
    *(size_t *)(ret + 8) = value_len;
#endif
    return;
  }
}

/* ---- fixtures --------------------------------------------------------------------------------- */

/* The handler the export calls; each export test sets it. */
static int (*handler)(const wasmlet_request *req, wasmlet_response *res);
int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res) { return handler(req, res); }

/* An exact-size heap copy without a NUL, as the host passes strings: ASan flags any over-read. */
static char *exact_copy(const char *s) {
  size_t len = strlen(s);
  char *p = malloc(len ? len : 1);
  memcpy(p, s, len);
  return p;
}

/* wasmlet_query_param on `query`, passed the way the host passes it. */
static int query_param(const char *query, const char *key, char *out, size_t out_size) {
  char *q = exact_copy(query);
  wasmlet_request req = {.query = {q, strlen(query)}};
  int found = wasmlet_query_param(&req, key, out, out_size);
  free(q);
  return found;
}

typedef struct {
  wasmlet_request req;
  wasmlet_header headers[8];
} header_fixture;

static void add_header(header_fixture *f, const char *name, const char *value) {
  f->headers[f->req.headers_len++] = (wasmlet_header){{exact_copy(name), strlen(name)}, {exact_copy(value), strlen(value)}};
  f->req.headers = f->headers;
}

static void free_headers(header_fixture *f) {
  for (size_t i = 0; i < f->req.headers_len; i++) {
    free((void *)f->headers[i].name.ptr);
    free((void *)f->headers[i].value.ptr);
  }
}

/* A response as the export starts it. */
static wasmlet_response new_response(void) { return (wasmlet_response){.status = 200}; }

static void free_response(wasmlet_response *res) {
  for (size_t i = 0; i < res->headers_len; i++) {
    free((void *)res->headers[i].name.ptr);
    free((void *)res->headers[i].value.ptr);
  }
  free(res->headers);
  free(res->body);
  free(res->error);
}

/* ---- wasmlet_query_param ---------------------------------------------------------------------- */

TEST(query_finds_a_plain_value) {
  char out[32];
  CHECK(query_param("name=ada", "name", out, sizeof out) == 1);
  CHECK(strcmp(out, "ada") == 0);
  CHECK(query_param("a=1&name=ada&b=2", "name", out, sizeof out) == 1);
  CHECK(strcmp(out, "ada") == 0);
}

TEST(query_missing_key_returns_0_and_leaves_out_alone) {
  char out[8] = "keep";
  CHECK(query_param("a=1&b=2", "c", out, sizeof out) == 0);
  CHECK(query_param("", "a", out, sizeof out) == 0);
  CHECK(strcmp(out, "keep") == 0);
}

TEST(query_matches_whole_keys_only) {
  char out[8];
  CHECK(query_param("names=x&name=y", "name", out, sizeof out) == 1);
  CHECK(strcmp(out, "y") == 0);
  CHECK(query_param("name=y", "nam", out, sizeof out) == 0);
  CHECK(query_param("name=y", "names", out, sizeof out) == 0);
}

TEST(query_decodes_plus_as_space) {
  char out[16];
  CHECK(query_param("q=a+b++c", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "a b  c") == 0);
}

TEST(query_decodes_percent_escapes) {
  char out[16];
  CHECK(query_param("q=%41%62%2b%2F%20", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "Ab+/ ") == 0);
  CHECK(query_param("q=%C3%A9", "q", out, sizeof out) == 1); /* bytes, not characters */
  CHECK(strcmp(out, "\xc3\xa9") == 0);
}

TEST(query_keeps_malformed_escapes_literally) {
  char out[16];
  CHECK(query_param("q=%zz%4g", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "%zz%4g") == 0);
  CHECK(query_param("q=100%", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "100%") == 0);
  CHECK(query_param("q=%4&r=1", "q", out, sizeof out) == 1); /* the escape does not reach into the next pair */
  CHECK(strcmp(out, "%4") == 0);
}

TEST(query_escape_at_the_end_does_not_read_past_the_query) {
  /* "q=%4" followed in memory by "1": the query's length ends the value, not a NUL. */
  char backing[] = "q=%41", out[8];
  wasmlet_request req = {.query = {backing, 4}};
  CHECK(wasmlet_query_param(&req, "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "%4") == 0);
}

TEST(query_empty_and_bare_values) {
  char out[8] = "x";
  CHECK(query_param("q=", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "") == 0);
  strcpy(out, "x");
  CHECK(query_param("flag&q=1", "flag", out, sizeof out) == 1);
  CHECK(strcmp(out, "") == 0);
  CHECK(query_param("&&q=1&", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "1") == 0);
}

TEST(query_first_of_repeated_keys_wins) {
  char out[8];
  CHECK(query_param("q=1&q=2", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "1") == 0);
}

TEST(query_value_may_contain_equals) {
  char out[8];
  CHECK(query_param("q=a=b", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "a=b") == 0);
}

TEST(query_keys_are_compared_undecoded) {
  char out[8];
  CHECK(query_param("a%20b=1", "a b", out, sizeof out) == 0);
  CHECK(query_param("a%20b=1", "a%20b", out, sizeof out) == 1);
  CHECK(query_param("a+b=1", "a b", out, sizeof out) == 0);
}

TEST(query_truncates_to_out_size) {
  char out[4];
  CHECK(query_param("q=abcdef", "q", out, sizeof out) == 1);
  CHECK(strcmp(out, "abc") == 0);
  CHECK(query_param("q=%41%42%43%44", "q", out, 3) == 1);
  CHECK(strcmp(out, "AB") == 0);
  CHECK(query_param("q=abc", "q", out, 1) == 1);
  CHECK(strcmp(out, "") == 0);
}

TEST(query_out_size_0_writes_nothing) {
  char out[2] = "Z";
  CHECK(query_param("q=abc", "q", out, 0) == 1);
  CHECK(out[0] == 'Z');
}

TEST(query_decoded_nul_ends_the_c_string) {
  char out[8];
  CHECK(query_param("q=a%00b", "q", out, sizeof out) == 1);
  CHECK(strlen(out) == 1 && out[0] == 'a');
}

/* ---- wasmlet_header_get ----------------------------------------------------------------------- */

TEST(header_found_by_lower_case_name) {
  header_fixture f = {0};
  add_header(&f, "accept", "*/*");
  add_header(&f, "content-type", "image/png");
  wasmlet_str value = {0};
  CHECK(wasmlet_header_get(&f.req, "content-type", &value) == 1);
  CHECK(bytes_eq(value.ptr, value.len, "image/png"));
  CHECK(value.ptr == f.headers[1].value.ptr); /* a view into the request, not a copy */
  free_headers(&f);
}

TEST(header_missing_returns_0_and_leaves_value_alone) {
  header_fixture f = {0};
  wasmlet_str value = {"keep", 4};
  CHECK(wasmlet_header_get(&f.req, "accept", &value) == 0); /* no headers at all */
  add_header(&f, "content-type", "text/plain");
  CHECK(wasmlet_header_get(&f.req, "content", &value) == 0);
  CHECK(wasmlet_header_get(&f.req, "content-type-x", &value) == 0);
  CHECK(bytes_eq(value.ptr, value.len, "keep"));
  free_headers(&f);
}

TEST(header_names_are_matched_exactly) {
  /* The host lower-cases names; a mixed-case lookup finds nothing. */
  header_fixture f = {0};
  add_header(&f, "content-type", "text/plain");
  wasmlet_str value;
  CHECK(wasmlet_header_get(&f.req, "Content-Type", &value) == 0);
  free_headers(&f);
}

TEST(header_repeated_returns_the_first_value) {
  header_fixture f = {0};
  add_header(&f, "x-tag", "one");
  add_header(&f, "x-tag", "two");
  wasmlet_str value;
  CHECK(wasmlet_header_get(&f.req, "x-tag", &value) == 1);
  CHECK(bytes_eq(value.ptr, value.len, "one"));
  free_headers(&f);
}

TEST(header_empty_value_is_found) {
  header_fixture f = {0};
  add_header(&f, "x-empty", "");
  wasmlet_str value;
  CHECK(wasmlet_header_get(&f.req, "x-empty", &value) == 1);
  CHECK(value.len == 0);
  free_headers(&f);
}

/* ---- response building ------------------------------------------------------------------------ */

TEST(response_status_is_set) {
  wasmlet_response res = new_response();
  CHECK(res.status == 200);
  wasmlet_response_status(&res, 404);
  CHECK(res.status == 404);
  free_response(&res);
}

TEST(response_headers_are_copied_in_order) {
  wasmlet_response res = new_response();
  char name[16] = "x-n", value[16];
  for (int i = 0; i < 10; i++) { /* past the initial capacity of 4 */
    snprintf(value, sizeof value, "v%d", i);
    wasmlet_response_header(&res, name, value);
  }
  strcpy(name, "changed"); /* the response kept its own copies */
  CHECK(res.headers_len == 10);
  CHECK(bytes_eq(res.headers[0].name.ptr, res.headers[0].name.len, "x-n"));
  CHECK(bytes_eq(res.headers[0].value.ptr, res.headers[0].value.len, "v0"));
  CHECK(bytes_eq(res.headers[9].value.ptr, res.headers[9].value.len, "v9"));
  free_response(&res);
}

TEST(response_header_may_be_empty) {
  wasmlet_response res = new_response();
  wasmlet_response_header(&res, "x-empty", "");
  CHECK(res.headers_len == 1);
  CHECK(res.headers[0].value.len == 0);
  free_response(&res);
}

TEST(response_body_appends_binary_data) {
  wasmlet_response res = new_response();
  const uint8_t bytes[] = {0, 1, 2, 0, 255};
  wasmlet_response_write(&res, bytes, sizeof bytes);
  wasmlet_response_write_str(&res, "ok");
  CHECK(res.body_len == 7);
  CHECK(memcmp(res.body, bytes, sizeof bytes) == 0);
  CHECK(memcmp(res.body + 5, "ok", 2) == 0);
  free_response(&res);
}

TEST(response_body_grows_past_its_capacity) {
  wasmlet_response res = new_response();
  char chunk[100];
  for (int i = 0; i < 30; i++) {
    memset(chunk, 'a' + i % 26, sizeof chunk);
    wasmlet_response_write(&res, chunk, sizeof chunk);
  }
  CHECK(res.body_len == 3000);
  CHECK(res.body_cap >= 3000);
  CHECK(res.body[0] == 'a' && res.body[2999] == 'a' + 29 % 26);
  free_response(&res);
}

TEST(response_empty_writes_leave_no_body) {
  wasmlet_response res = new_response();
  wasmlet_response_write(&res, "", 0);
  wasmlet_response_write_str(&res, "");
  CHECK(res.body == NULL && res.body_len == 0);
  free_response(&res);
}

TEST(response_error_keeps_the_last_message) {
  wasmlet_response res = new_response();
  wasmlet_response_error(&res, "first");
  wasmlet_response_error(&res, "second"); /* replaces (and frees) the first */
  CHECK(res.error && strcmp(res.error, "second") == 0);
  free_response(&res);
}

/* ---- host capabilities ------------------------------------------------------------------------ */

TEST(log_passes_level_and_message) {
  host_log.calls = 0;
  wasmlet_log(WASMLET_WARN, "disk almost full");
  CHECK(host_log.calls == 1);
  CHECK(host_log.level == 2);
  CHECK(strcmp(host_log.message, "disk almost full") == 0);
}

#if ABI32
/* ---- canonical-ABI glue (32-bit builds only) -------------------------------------------------- */

static struct {
  char method[8], path[32], query[32];
  size_t headers_len, body_len;
} seen;

static int echo_handler(const wasmlet_request *req, wasmlet_response *res) {
  snprintf(seen.method, sizeof seen.method, "%.*s", (int)req->method.len, req->method.ptr);
  snprintf(seen.path, sizeof seen.path, "%.*s", (int)req->path.len, req->path.ptr);
  snprintf(seen.query, sizeof seen.query, "%.*s", (int)req->query.len, req->query.ptr);
  seen.headers_len = req->headers_len;
  seen.body_len = req->body_len;
  wasmlet_response_status(res, 201);
  wasmlet_response_header(res, "content-type", "text/plain");
  wasmlet_response_write(res, req->body, req->body_len);
  return 0;
}

static int failing_handler(const wasmlet_request *req, wasmlet_response *res) {
  (void)req;
  wasmlet_response_header(res, "x-partial", "dropped");
  wasmlet_response_write_str(res, "dropped too");
  return 1;
}

static int error_handler(const wasmlet_request *req, wasmlet_response *res) {
  (void)req;
  wasmlet_response_error(res, "no database configured");
  return 1;
}

/* Calls the export the way the host does: every non-empty argument allocated with cabi_realloc
 * (the callee frees them), empty ones passed as pointer 1 and never allocated. */
static uint8_t *call_export(const char *method, const char *path, const char *query, const char *(*headers)[2],
                            size_t headers_len, const char *body) {
  char *args[3];
  const char *texts[3] = {method, path, query};
  for (int i = 0; i < 3; i++) {
    size_t len = strlen(texts[i]);
    args[i] = len ? memcpy(cabi_realloc(NULL, 0, 1, len), texts[i], len) : (char *)1;
  }
  wasmlet_header *list = headers_len ? cabi_realloc(NULL, 0, 4, headers_len * sizeof *list) : (wasmlet_header *)4;
  for (size_t i = 0; i < headers_len; i++) {
    for (int j = 0; j < 2; j++) {
      size_t len = strlen(headers[i][j]);
      char *p = len ? memcpy(cabi_realloc(NULL, 0, 1, len), headers[i][j], len) : (char *)1;
      if (j == 0) list[i].name = (wasmlet_str){p, len};
      else list[i].value = (wasmlet_str){p, len};
    }
  }
  size_t body_len = strlen(body);
  uint8_t *body_copy = body_len ? memcpy(cabi_realloc(NULL, 0, 1, body_len), body, body_len) : (uint8_t *)1;
  return wasmlet_export_handle(args[0], strlen(method), args[1], strlen(path), args[2], strlen(query), list,
                               headers_len, body_copy, body_len);
}

TEST(abi_export_returns_the_response_at_canonical_offsets) {
  handler = echo_handler;
  const char *headers[][2] = {{"content-type", "text/plain"}, {"accept", "*/*"}};
  uint8_t *ret = call_export("POST", "/echo", "a=1", headers, 2, "hello");
  CHECK(strcmp(seen.method, "POST") == 0 && strcmp(seen.path, "/echo") == 0 && strcmp(seen.query, "a=1") == 0);
  CHECK(seen.headers_len == 2 && seen.body_len == 5);
  CHECK(ret[0] == 0);                          /* ok */
  CHECK(*(uint16_t *)(ret + 4) == 201);        /* status */
  wasmlet_header *out_headers = *(wasmlet_header **)(ret + 8);
  CHECK(*(size_t *)(ret + 12) == 1);           /* headers length */
  CHECK(bytes_eq(out_headers[0].name.ptr, out_headers[0].name.len, "content-type"));
  CHECK(bytes_eq(*(uint8_t **)(ret + 16), *(size_t *)(ret + 20), "hello")); /* body */
  wasmlet_post_handle(ret);
}

TEST(abi_export_survives_empty_strings_and_lists) {
  /* Regression: an empty header value arrives as pointer 1 and must not be freed. */
  handler = echo_handler;
  const char *headers[][2] = {{"x-empty", ""}};
  uint8_t *ret = call_export("GET", "/", "", headers, 1, "");
  CHECK(ret[0] == 0);
  CHECK(seen.query[0] == '\0' && seen.body_len == 0);
  wasmlet_post_handle(ret);
  ret = call_export("GET", "/", "", NULL, 0, "");
  CHECK(ret[0] == 0 && seen.headers_len == 0);
  wasmlet_post_handle(ret);
}

TEST(abi_export_nonzero_return_is_a_guest_error) {
  handler = failing_handler;
  uint8_t *ret = call_export("GET", "/", "", NULL, 0, "");
  CHECK(ret[0] == 1);
  CHECK(bytes_eq(*(char **)(ret + 4), *(size_t *)(ret + 8), "handler failed"));
  wasmlet_post_handle(ret); /* the partial response was freed by the export (LeakSanitizer checks) */
}

TEST(abi_export_error_message_is_returned) {
  handler = error_handler;
  uint8_t *ret = call_export("GET", "/", "", NULL, 0, "");
  CHECK(ret[0] == 1);
  CHECK(bytes_eq(*(char **)(ret + 4), *(size_t *)(ret + 8), "no database configured"));
  wasmlet_post_handle(ret);
}

TEST(abi_cabi_realloc_handles_zero_sizes_and_growth) {
  CHECK(cabi_realloc(NULL, 0, 4, 0) == (void *)4);
  char *p = cabi_realloc(NULL, 0, 1, 3);
  memcpy(p, "abc", 3);
  p = cabi_realloc(p, 3, 1, 4096);
  CHECK(memcmp(p, "abc", 3) == 0);
  free(p);
}

TEST(abi_config_reads_a_value) {
  char out[16];
  CHECK(wasmlet_config("colour", out, sizeof out) == 1);
  CHECK(strcmp(out, "blue") == 0);
}

TEST(abi_config_missing_key_returns_0) {
  char out[16] = "keep";
  CHECK(wasmlet_config("nope", out, sizeof out) == 0);
  CHECK(strcmp(out, "keep") == 0);
}

TEST(abi_config_empty_value_is_found_and_not_freed) {
  /* Regression: the host passes an empty string as pointer 1; freeing it trapped the guest. */
  char out[16] = "x";
  CHECK(wasmlet_config("empty", out, sizeof out) == 1);
  CHECK(strcmp(out, "") == 0);
}

TEST(abi_config_truncates_to_out_size) {
  char out[4];
  CHECK(wasmlet_config("long", out, sizeof out) == 1);
  CHECK(strcmp(out, "abc") == 0);
}
#endif

int main(void) { return run_tests(ABI32 ? "32-bit" : "native"); }
