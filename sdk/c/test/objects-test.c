/* Native tests of the objects glue (sdk/c/wasmlet-objects.c), run by run.sh, against stubs of the
 * host's five imports. The stubs write each result at its wasm32 offsets (sdk/wit/README.md), so
 * the cases that read one run only in the 32-bit build. */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include <stdint.h>
#include <stdlib.h>

/* The import attributes mean nothing to a native compiler. */
#pragma GCC diagnostic ignored "-Wattributes"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wunknown-attributes"
#endif
#include "../wasmlet-objects.c"
#include "../wasmlet-queue.c" /* wasmlet_message_attribute, for the event helper */

#include "harness.h"
#include "host-args.h"

/* What the stub host saw, copied out. */
static struct {
  const char *import;
  char bucket[64], key[64], extra[64];
  size_t extra_len;
  int32_t has_option;
  uint64_t first, last;
  uint32_t max_keys;
  int calls;
} seen;

/* What the stub host answers: ok (with or without a value), or an error. */
typedef struct {
  int err;
  int none;       /* ok(none) for get and head; ok(false) for delete */
  uint8_t code;
  const char *message;
  const char *key, *etag, *content_type;
  uint64_t size, last_modified;
  const char *body;
  size_t body_len;
  size_t listed;  /* list-objects: how many records (keys "k0", "k1", ...) */
  const char *continuation;
} host_answer;
static host_answer answer;

static void copy_arg(char *out, size_t size, const char *ptr, size_t len) {
  snprintf(out, size, "%.*s", (int)len, ptr);
}

#if ABI32
static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put_u64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
/* A string as jco's host lowers it: an allocation of its own, or pointer 1 when empty. */
static void put_string(uint8_t *p, const char *s) {
  put_u32(p, (uint32_t)(uintptr_t)host_string(s));
  put_u32(p + 4, (uint32_t)strlen(s));
}
static void put_info(uint8_t *p, const char *key) {
  put_string(p, key);
  put_u64(p + 8, answer.size);
  put_string(p + 16, answer.etag ? answer.etag : "");
  put_string(p + 24, answer.content_type ? answer.content_type : "");
  put_u64(p + 32, answer.last_modified);
}
static void put_error(uint8_t *p) {
  p[0] = answer.code;
  put_string(p + 4, answer.message);
}
#endif

void wasmlet_objects_get(const char *bucket, size_t bucket_len, const char *key, size_t key_len, int32_t has_range,
                         uint64_t first, uint64_t last, uint8_t *ret) {
  seen.import = "get", seen.calls++;
  copy_arg(seen.bucket, sizeof seen.bucket, bucket, bucket_len);
  copy_arg(seen.key, sizeof seen.key, key, key_len);
  seen.has_option = has_range, seen.first = first, seen.last = last;
#if ABI32
  memset(ret, 0xa5, 64); /* padding a host may leave as it was */
  ret[0] = (uint8_t)answer.err;
  if (answer.err) return put_error(ret + 8);
  ret[8] = !answer.none;
  if (answer.none) return;
  put_info(ret + 16, answer.key);
  uint8_t *body = answer.body_len ? memcpy(malloc(answer.body_len), answer.body, answer.body_len) : (uint8_t *)1;
  put_u32(ret + 56, (uint32_t)(uintptr_t)body);
  put_u32(ret + 60, (uint32_t)answer.body_len);
#else
  (void)ret;
#endif
}

void wasmlet_objects_head(const char *bucket, size_t bucket_len, const char *key, size_t key_len, uint8_t *ret) {
  seen.import = "head", seen.calls++;
  copy_arg(seen.bucket, sizeof seen.bucket, bucket, bucket_len);
  copy_arg(seen.key, sizeof seen.key, key, key_len);
#if ABI32
  memset(ret, 0xa5, 56);
  ret[0] = (uint8_t)answer.err;
  if (answer.err) return put_error(ret + 8);
  ret[8] = !answer.none;
  if (!answer.none) put_info(ret + 16, answer.key);
#else
  (void)ret;
#endif
}

void wasmlet_objects_put(const char *bucket, size_t bucket_len, const char *key, size_t key_len, const void *body,
                         size_t body_len, const char *content_type, size_t content_type_len, uint8_t *ret) {
  seen.import = "put", seen.calls++;
  copy_arg(seen.bucket, sizeof seen.bucket, bucket, bucket_len);
  copy_arg(seen.key, sizeof seen.key, key, key_len);
  copy_arg(seen.extra, sizeof seen.extra, content_type, content_type_len);
  seen.extra_len = body_len;
  seen.first = body_len ? ((const uint8_t *)body)[0] : 0;
#if ABI32
  memset(ret, 0xa5, 48);
  ret[0] = (uint8_t)answer.err;
  if (answer.err) return put_error(ret + 8);
  put_info(ret + 8, answer.key);
#else
  (void)ret;
#endif
}

void wasmlet_objects_list(const char *bucket, size_t bucket_len, const char *prefix, size_t prefix_len,
                          int32_t has_continuation, const char *continuation, size_t continuation_len, uint32_t max_keys,
                          uint8_t *ret) {
  seen.import = "list-objects", seen.calls++;
  copy_arg(seen.bucket, sizeof seen.bucket, bucket, bucket_len);
  copy_arg(seen.key, sizeof seen.key, prefix, prefix_len);
  copy_arg(seen.extra, sizeof seen.extra, continuation, continuation_len);
  seen.has_option = has_continuation, seen.max_keys = max_keys;
#if ABI32
  memset(ret, 0xa5, 24);
  ret[0] = (uint8_t)answer.err;
  if (answer.err) return put_error(ret + 4);
  uint8_t *records = host_list(answer.listed, 40, 8);
  for (size_t i = 0; i < answer.listed; i++) {
    char key[8];
    snprintf(key, sizeof key, "k%zu", i);
    put_info(records + i * 40, key);
  }
  put_u32(ret + 4, (uint32_t)(uintptr_t)records);
  put_u32(ret + 8, (uint32_t)answer.listed);
  ret[12] = answer.continuation != NULL;
  if (answer.continuation) put_string(ret + 16, answer.continuation);
#else
  (void)ret;
#endif
}

void wasmlet_objects_delete(const char *bucket, size_t bucket_len, const char *key, size_t key_len, uint8_t *ret) {
  seen.import = "delete", seen.calls++;
  copy_arg(seen.bucket, sizeof seen.bucket, bucket, bucket_len);
  copy_arg(seen.key, sizeof seen.key, key, key_len);
#if ABI32
  memset(ret, 0xa5, 16);
  ret[0] = (uint8_t)answer.err;
  if (answer.err) return put_error(ret + 4);
  ret[4] = !answer.none;
#else
  (void)ret;
#endif
}

/* ---- every build ---------------------------------------------------------------------------- */

TEST(error_names_follow_the_wit_enum) {
  static const char *const names[] = {"denied", "no-such-bucket", "invalid-key", "invalid-range", "too-large", "quota-exceeded", "other"};
  for (int code = 0; code < 7; code++) CHECK(strcmp(wasmlet_objects_error_name((wasmlet_objects_error_code)code), names[code]) == 0);
  CHECK(WASMLET_OBJECTS_OTHER == 6 && WASMLET_OBJECTS_TOO_LARGE == 4);
  CHECK(strcmp(wasmlet_objects_error_name((wasmlet_objects_error_code)7), "unknown") == 0);
}

TEST(freeing_zeroed_or_freed_structs_is_safe) {
  wasmlet_object obj = {0};
  wasmlet_object_info info = {0};
  wasmlet_object_page page = {0};
  wasmlet_objects_error err = {0};
  wasmlet_object_free(&obj);
  wasmlet_object_free(&obj);
  wasmlet_object_info_free(&info);
  wasmlet_object_page_free(&page);
  wasmlet_object_page_free(&page);
  wasmlet_objects_error_free(&err);
  CHECK(obj.body == NULL && page.objects == NULL && err.message == NULL);
}

TEST(an_object_event_is_read_from_its_attributes) {
  wasmlet_attribute attributes[] = {
      {WASMLET_STR("content-type"), WASMLET_STR("application/json")},
      {WASMLET_STR("object-event"), WASMLET_STR("ObjectCreated:Put")},
      {WASMLET_STR("object-bucket"), WASMLET_STR("uploads")},
      {WASMLET_STR("object-key"), WASMLET_STR("2026/my cat.jpg")},
      {WASMLET_STR("object-size"), WASMLET_STR("123456")},
      {WASMLET_STR("object-etag"), WASMLET_STR("5eb63bbbe01eeed093cb22bb8f5acdc3")},
  };
  wasmlet_message message = {.attributes = attributes, .attributes_len = 6};
  wasmlet_object_event event;
  CHECK(wasmlet_object_event_of(&message, &event) == 1);
  CHECK(bytes_eq(event.name.ptr, event.name.len, "ObjectCreated:Put") && event.created == 1);
  CHECK(bytes_eq(event.bucket.ptr, event.bucket.len, "uploads"));
  CHECK(bytes_eq(event.key.ptr, event.key.len, "2026/my cat.jpg")); /* as stored, not URL-encoded */
  CHECK(event.size == 123456);
  CHECK(bytes_eq(event.etag.ptr, event.etag.len, "5eb63bbbe01eeed093cb22bb8f5acdc3"));
  attributes[1].value = (wasmlet_str)WASMLET_STR("ObjectRemoved:Delete");
  CHECK(wasmlet_object_event_of(&message, &event) == 1 && event.created == 0);
}

TEST(a_message_without_the_attributes_is_not_an_object_event) {
  wasmlet_attribute attributes[] = {{WASMLET_STR("object-event"), WASMLET_STR("ObjectCreated:Put")}};
  wasmlet_message message = {.attributes = attributes, .attributes_len = 1};
  wasmlet_object_event event = {.size = 7};
  CHECK(wasmlet_object_event_of(&message, &event) == 0);
  CHECK(event.size == 0 && event.name.ptr == NULL); /* zeroed */
  wasmlet_message empty = {0};
  CHECK(wasmlet_object_event_of(&empty, &event) == 0);
}

/* ---- the canonical ABI (32-bit build) -------------------------------------------------------- */
#if ABI32

TEST(abi_get_lifts_the_object_and_its_body) {
  answer = (host_answer){.key = "2026/cat.jpg", .etag = "abc", .content_type = "image/jpeg", .size = 5000000000ull,
                         .last_modified = 1767225600123ull, .body = "jp\0eg", .body_len = 5};
  wasmlet_object obj;
  wasmlet_objects_error err = {WASMLET_OBJECTS_OTHER, (char *)"stale"};
  CHECK(wasmlet_object_get("uploads", "2026/cat.jpg", &obj, &err) == 1);
  CHECK(strcmp(seen.import, "get") == 0 && strcmp(seen.bucket, "uploads") == 0 && strcmp(seen.key, "2026/cat.jpg") == 0);
  CHECK(seen.has_option == 0); /* no range */
  CHECK(strcmp(obj.info.key, "2026/cat.jpg") == 0 && strcmp(obj.info.etag, "abc") == 0);
  CHECK(strcmp(obj.info.content_type, "image/jpeg") == 0);
  CHECK(obj.info.size == 5000000000ull && obj.info.last_modified == 1767225600123ull); /* u64s above 2^32 */
  CHECK(obj.body_len == 5 && memcmp(obj.body, "jp\0eg", 5) == 0 && obj.body[5] == '\0');
  CHECK(err.message == NULL); /* zeroed on success */
  wasmlet_object_free(&obj);  /* LeakSanitizer checks the rest */
  CHECK(obj.body == NULL && obj.info.key == NULL);
}

TEST(abi_get_range_passes_first_and_last) {
  answer = (host_answer){.key = "k", .body = "", .body_len = 0};
  wasmlet_object obj;
  CHECK(wasmlet_object_get_range("b1", "k", 10, 5000000000ull, &obj, NULL) == 1);
  CHECK(seen.has_option == 1 && seen.first == 10 && seen.last == 5000000000ull);
  /* Empty strings and an empty body come back as pointer 1: never freed, "" instead. */
  CHECK(obj.body && obj.body_len == 0 && obj.body[0] == '\0' && obj.info.etag[0] == '\0');
  wasmlet_object_free(&obj);
}

TEST(abi_get_none_is_zero_with_a_zeroed_object) {
  answer = (host_answer){.none = 1};
  wasmlet_object obj = {.body_len = 9};
  CHECK(wasmlet_object_get("b1", "absent", &obj, NULL) == 0);
  CHECK(obj.body == NULL && obj.body_len == 0 && obj.info.key == NULL);
}

TEST(abi_errors_lift_every_code_and_message) {
  for (int code = 0; code < 7; code++) {
    answer = (host_answer){.err = 1, .code = (uint8_t)code, .message = "thumbs may not read bucket \"x\""};
    wasmlet_object obj;
    wasmlet_objects_error err;
    CHECK(wasmlet_object_get("x", "k", &obj, &err) == -1);
    CHECK(err.code == (wasmlet_objects_error_code)code && strcmp(err.message, "thumbs may not read bucket \"x\"") == 0);
    CHECK(obj.body == NULL);
    wasmlet_objects_error_free(&err);
    wasmlet_object_info info;
    CHECK(wasmlet_object_head("x", "k", &info, &err) == -1 && err.code == (wasmlet_objects_error_code)code);
    wasmlet_objects_error_free(&err);
    CHECK(wasmlet_object_put("x", "k", "a", 1, NULL, &info, &err) == -1 && err.code == (wasmlet_objects_error_code)code);
    wasmlet_objects_error_free(&err);
    wasmlet_object_page page;
    CHECK(wasmlet_object_list("x", NULL, NULL, 10, &page, &err) == -1 && err.code == (wasmlet_objects_error_code)code);
    wasmlet_objects_error_free(&err);
    CHECK(wasmlet_object_delete("x", "k", &err) == -1 && err.code == (wasmlet_objects_error_code)code);
    wasmlet_objects_error_free(&err);
  }
  answer = (host_answer){.err = 1, .code = 42, .message = ""}; /* unknown code, empty message (pointer 1) */
  wasmlet_objects_error err;
  CHECK(wasmlet_object_delete("x", "k", &err) == -1 && err.code == WASMLET_OBJECTS_OTHER && err.message[0] == '\0');
  wasmlet_objects_error_free(&err);
  CHECK(wasmlet_object_delete("x", "k", NULL) == -1); /* no err: the message is freed all the same */
}

TEST(abi_head_lifts_the_metadata_or_none) {
  answer = (host_answer){.key = "a.txt", .etag = "e", .content_type = "text/plain", .size = 3};
  wasmlet_object_info info;
  CHECK(wasmlet_object_head("logs", "a.txt", &info, NULL) == 1);
  CHECK(strcmp(seen.import, "head") == 0 && strcmp(info.key, "a.txt") == 0 && info.size == 3);
  wasmlet_object_info_free(&info);
  answer = (host_answer){.none = 1};
  CHECK(wasmlet_object_head("logs", "a.txt", &info, NULL) == 0 && info.key == NULL);
}

TEST(abi_put_passes_the_body_and_content_type) {
  answer = (host_answer){.key = "2026/cat.png", .etag = "f00", .content_type = "image/png", .size = 4};
  wasmlet_object_info info;
  CHECK(wasmlet_object_put("thumbnails", "2026/cat.png", "\x89PNG", 4, "image/png", &info, NULL) == 0);
  CHECK(strcmp(seen.import, "put") == 0 && strcmp(seen.bucket, "thumbnails") == 0 && strcmp(seen.key, "2026/cat.png") == 0);
  CHECK(seen.extra_len == 4 && seen.first == 0x89 && strcmp(seen.extra, "image/png") == 0);
  CHECK(strcmp(info.etag, "f00") == 0 && info.size == 4);
  wasmlet_object_info_free(&info);
  /* No content type, no info wanted: "" goes out, the returned info is freed by the SDK. */
  CHECK(wasmlet_object_put("thumbnails", "k", "", 0, NULL, NULL, NULL) == 0);
  CHECK(seen.extra[0] == '\0' && seen.extra_len == 0);
}

TEST(abi_list_takes_each_record_and_the_continuation) {
  answer = (host_answer){.listed = 3, .etag = "e", .size = 7, .continuation = "token-1"};
  wasmlet_object_page page;
  CHECK(wasmlet_object_list("logs", "2026/", NULL, 3, &page, NULL) == 0);
  CHECK(strcmp(seen.import, "list-objects") == 0 && strcmp(seen.key, "2026/") == 0);
  CHECK(seen.has_option == 0 && seen.max_keys == 3);
  CHECK(page.objects_len == 3 && strcmp(page.objects[2].key, "k2") == 0 && page.objects[1].size == 7);
  CHECK(page.continuation && strcmp(page.continuation, "token-1") == 0);
  char token[16];
  strcpy(token, page.continuation);
  wasmlet_object_page_free(&page);
  answer = (host_answer){.listed = 0};
  CHECK(wasmlet_object_list("logs", "", token, 3, &page, NULL) == 0);
  CHECK(seen.has_option == 1 && strcmp(seen.extra, "token-1") == 0);
  CHECK(page.objects == NULL && page.objects_len == 0 && page.continuation == NULL); /* the last page */
  wasmlet_object_page_free(&page);
}

TEST(abi_delete_says_whether_there_was_an_object) {
  answer = (host_answer){0};
  CHECK(wasmlet_object_delete("logs", "a", NULL) == 1);
  CHECK(strcmp(seen.import, "delete") == 0 && strcmp(seen.key, "a") == 0);
  answer = (host_answer){.none = 1};
  CHECK(wasmlet_object_delete("logs", "a", NULL) == 0);
}

#endif

int main(void) { return run_tests(ABI32 ? "32-bit objects" : "native objects"); }
