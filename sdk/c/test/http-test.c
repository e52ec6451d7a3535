/* Native tests of outbound HTTP (sdk/c/wasmlet-http.c), run by run.sh, against a stub of the
 * host's `send` import. The stub writes result<response, http-error> at its wasm32 offsets, so the
 * cases that call send run only in the 32-bit build. */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include <stdint.h>
#include <stdlib.h>

/* The import attributes mean nothing to a native compiler. */
#pragma GCC diagnostic ignored "-Wattributes"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wunknown-attributes"
#endif
#include "../wasmlet-http.c"

#include "harness.h"
#include "host-args.h"

/* What the stub host saw, copied out. */
static struct {
  char method[16], url[128], headers[256], body[64];
  size_t body_len;
  const wasmlet_header *headers_ptr;
  int calls;
} seen;

/* What the stub host answers: an ok response, or an error with `code` (a u8 on the wire). */
typedef struct {
  int err;
  uint16_t status;
  const char *const (*headers)[2];
  size_t headers_len;
  const char *body;
  size_t body_len;
  uint8_t code;
  const char *message;
  int dirty; /* fill the padding bytes with garbage, as a host may leave them */
} host_answer;
static host_answer answer;

void wasmlet_outbound_http_send(const char *method, size_t method_len, const char *url, size_t url_len,
                                const wasmlet_header *headers, size_t headers_len, const void *body, size_t body_len,
                                uint8_t *ret) {
  seen.calls++;
  snprintf(seen.method, sizeof seen.method, "%.*s", (int)method_len, method);
  snprintf(seen.url, sizeof seen.url, "%.*s", (int)url_len, url);
  seen.headers_ptr = headers;
  seen.headers[0] = '\0';
  for (size_t i = 0; i < headers_len; i++) {
    size_t used = strlen(seen.headers);
    snprintf(seen.headers + used, sizeof seen.headers - used, "%.*s=%.*s;", (int)headers[i].name.len,
             headers[i].name.ptr, (int)headers[i].value.len, headers[i].value.ptr);
  }
  seen.body_len = body_len;
  if (body_len) memcpy(seen.body, body, body_len < sizeof seen.body ? body_len : sizeof seen.body);
#if ABI32
  /* Lowered the way jco's host does: every non-empty string and list allocated with the guest's
   * cabi_realloc (malloc here), an empty one not (its pointer is the alignment). */
  if (answer.dirty) memset(ret, 0xa5, 24);
  ret[0] = (uint8_t)answer.err;
  if (!answer.err) {
    *(uint16_t *)(ret + 4) = answer.status;
    wasmlet_header *list = host_list(answer.headers_len, sizeof(wasmlet_header), 4);
    for (size_t i = 0; i < answer.headers_len; i++) {
      list[i].name = (wasmlet_str){host_string(answer.headers[i][0]), strlen(answer.headers[i][0])};
      list[i].value = (wasmlet_str){host_string(answer.headers[i][1]), strlen(answer.headers[i][1])};
    }
    *(wasmlet_header **)(ret + 8) = list;
    *(size_t *)(ret + 12) = answer.headers_len;
    uint8_t *copy = answer.body_len ? memcpy(malloc(answer.body_len), answer.body, answer.body_len) : (uint8_t *)1;
    *(uint8_t **)(ret + 16) = copy;
    *(size_t *)(ret + 20) = answer.body_len;
  } else {
    ret[4] = answer.code;
    *(char **)(ret + 8) = host_string(answer.message);
    *(size_t *)(ret + 12) = strlen(answer.message);
  }
#else
  (void)ret, (void)answer;
#endif
}

#if ABI32
TEST(abi_send_passes_method_url_headers_and_body) {
  wasmlet_header headers[] = {{WASMLET_STR("x-probe"), WASMLET_STR("c")}, {WASMLET_STR("x-empty"), WASMLET_STR("")}};
  const uint8_t body[] = {'a', 0, 'b'};
  wasmlet_http_request req = {"POST", "http://127.0.0.1:8080/echo?x=1", headers, 2, body, sizeof body};
  wasmlet_http_response res;
  wasmlet_http_error err;
  wasmlet_http_send(&req, &res, &err);
  CHECK(seen.calls == 1);
  CHECK(strcmp(seen.method, "POST") == 0);
  CHECK(strcmp(seen.url, "http://127.0.0.1:8080/echo?x=1") == 0);
  CHECK(strcmp(seen.headers, "x-probe=c;x-empty=;") == 0);
  CHECK(seen.headers_ptr == headers); /* the host reads the caller's array: nothing copied */
  CHECK(seen.body_len == 3 && memcmp(seen.body, body, 3) == 0);
  wasmlet_http_response_free(&res);
  wasmlet_http_error_free(&err);
}

TEST(abi_get_and_a_null_method_mean_get_without_headers_or_body) {
  wasmlet_http_response res;
  wasmlet_http_get("http://127.0.0.1/a", &res, NULL);
  CHECK(strcmp(seen.method, "GET") == 0 && strcmp(seen.url, "http://127.0.0.1/a") == 0);
  CHECK(seen.headers[0] == '\0' && seen.body_len == 0);
  wasmlet_http_response_free(&res);
  wasmlet_http_request req = {.url = "http://127.0.0.1/b"};
  wasmlet_http_send(&req, &res, NULL);
  CHECK(strcmp(seen.method, "GET") == 0 && strcmp(seen.url, "http://127.0.0.1/b") == 0);
  wasmlet_http_response_free(&res);
}

#endif

TEST(error_names_follow_the_wit_enum) {
  static const char *const names[] = {"denied",  "invalid-request", "dns-error",          "connection-refused",
                                      "connection-timeout", "timeout", "tls-error", "response-too-large",
                                      "too-many-requests",  "protocol-error"};
  for (int code = 0; code < 10; code++) CHECK(strcmp(wasmlet_http_error_name((wasmlet_http_error_code)code), names[code]) == 0);
  CHECK(WASMLET_HTTP_PROTOCOL_ERROR == 9 && WASMLET_HTTP_TOO_MANY_REQUESTS == 8);
  CHECK(strcmp(wasmlet_http_error_name((wasmlet_http_error_code)10), "unknown") == 0);
  CHECK(strcmp(wasmlet_http_error_name((wasmlet_http_error_code)-1), "unknown") == 0);
}

TEST(freeing_zeroed_or_freed_structs_is_safe) {
  wasmlet_http_response res = {0};
  wasmlet_http_error err = {0};
  wasmlet_http_response_free(&res);
  wasmlet_http_response_free(&res);
  wasmlet_http_error_free(&err);
  wasmlet_http_error_free(&err);
  CHECK(res.body == NULL && err.message == NULL);
}

#if ABI32
static const char *const two_headers[][2] = {{"content-type", "text/plain"}, {"x-empty", ""}, {"set-cookie", "a=1"}};

TEST(abi_ok_lifts_status_headers_and_body) {
  answer = (host_answer){.status = 201, .headers = two_headers, .headers_len = 3, .body = "hi\0there", .body_len = 8};
  wasmlet_http_response res;
  wasmlet_http_error err = {WASMLET_HTTP_TIMEOUT, (char *)"stale"};
  CHECK(wasmlet_http_get("http://127.0.0.1/", &res, &err) == 0);
  CHECK(res.status == 201);
  CHECK(res.headers_len == 3);
  CHECK(bytes_eq(res.headers[0].name.ptr, res.headers[0].name.len, "content-type"));
  CHECK(bytes_eq(res.headers[0].value.ptr, res.headers[0].value.len, "text/plain"));
  CHECK(bytes_eq(res.headers[1].name.ptr, res.headers[1].name.len, "x-empty"));
  /* An empty value is never allocated (pointer 1): the SDK points it at "" instead. */
  CHECK(res.headers[1].value.len == 0 && res.headers[1].value.ptr != NULL && res.headers[1].value.ptr[0] == '\0');
  CHECK(res.body_len == 8 && memcmp(res.body, "hi\0there", 8) == 0); /* binary safe */
  CHECK(res.body[8] == '\0');                                        /* and a C string for text */
  CHECK(err.message == NULL);                                        /* zeroed on success */
  wasmlet_str value;
  CHECK(wasmlet_http_response_header(&res, "set-cookie", &value) && bytes_eq(value.ptr, value.len, "a=1"));
  CHECK(wasmlet_http_response_header(&res, "x-empty", &value) && value.len == 0);
  CHECK(!wasmlet_http_response_header(&res, "Content-Type", &value)); /* names are lower-case */
  wasmlet_http_response_free(&res);                                    /* LeakSanitizer checks the rest */
  CHECK(res.headers == NULL && res.body == NULL && res.headers_len == 0);
}

TEST(abi_ok_with_no_headers_and_an_empty_body) {
  answer = (host_answer){.status = 204, .body = "", .body_len = 0, .dirty = 1};
  wasmlet_http_response res;
  wasmlet_http_error err;
  CHECK(wasmlet_http_get("http://127.0.0.1/", &res, &err) == 0);
  CHECK(res.status == 204); /* only the u16 at 4: the padding after it is garbage */
  CHECK(res.headers == NULL && res.headers_len == 0);
  CHECK(res.body != NULL && res.body_len == 0 && res.body[0] == '\0');
  wasmlet_http_response_free(&res);
}

TEST(abi_err_lifts_every_code_and_its_message) {
  for (int code = 0; code < 10; code++) {
    answer = (host_answer){.err = 1, .code = (uint8_t)code, .message = "origin not granted", .dirty = code % 2};
    wasmlet_http_response res = {.status = 7};
    wasmlet_http_error err;
    CHECK(wasmlet_http_get("http://127.0.0.1/", &res, &err) == 1);
    CHECK(err.code == (wasmlet_http_error_code)code);
    CHECK(err.message && strcmp(err.message, "origin not granted") == 0);
    CHECK(res.status == 0 && res.body == NULL && res.headers == NULL); /* zeroed on failure */
    wasmlet_http_error_free(&err);
    wasmlet_http_response_free(&res);
  }
}

TEST(abi_err_an_unknown_code_is_a_protocol_error) {
  answer = (host_answer){.err = 1, .code = 42, .message = "?"};
  wasmlet_http_response res;
  wasmlet_http_error err;
  CHECK(wasmlet_http_get("http://127.0.0.1/", &res, &err) == 1);
  CHECK(err.code == WASMLET_HTTP_PROTOCOL_ERROR);
  wasmlet_http_error_free(&err);
}

TEST(abi_err_an_empty_message_is_not_freed) {
  /* An empty string comes back as pointer 1: freeing it would crash. */
  answer = (host_answer){.err = 1, .code = WASMLET_HTTP_DNS_ERROR, .message = ""};
  wasmlet_http_response res;
  wasmlet_http_error err;
  CHECK(wasmlet_http_get("http://127.0.0.1/", &res, &err) == 1);
  CHECK(err.code == WASMLET_HTTP_DNS_ERROR && err.message && err.message[0] == '\0');
  wasmlet_http_error_free(&err);
}

TEST(abi_err_without_an_error_struct_frees_the_message) {
  answer = (host_answer){.err = 1, .code = WASMLET_HTTP_DENIED, .message = "not granted"};
  wasmlet_http_response res;
  CHECK(wasmlet_http_get("http://127.0.0.1/", &res, NULL) == 1); /* LeakSanitizer: freed */
}
#endif

int main(void) { return run_tests(ABI32 ? "32-bit http" : "native http"); }
