/* Canonical-ABI glue for the wasmlet:function/objects@0.1.0 import (layout in sdk/wit/README.md)
 * and the object-event helper. A function that never calls these does not import the interface:
 * the linker drops this file's code. */
#include "wasmlet.h"

#include "wasmlet-memory.h"

#define OBJECTS_MODULE "wasmlet:function/objects@0.1.0"

/* The arguments stay ours (the host copies them); `ret` receives the result, laid out below. */
__attribute__((import_module(OBJECTS_MODULE), import_name("get"))) extern void
wasmlet_objects_get(const char *bucket, size_t bucket_len, const char *key, size_t key_len, int32_t has_range,
                    uint64_t first, uint64_t last, uint8_t *ret);
__attribute__((import_module(OBJECTS_MODULE), import_name("head"))) extern void
wasmlet_objects_head(const char *bucket, size_t bucket_len, const char *key, size_t key_len, uint8_t *ret);
__attribute__((import_module(OBJECTS_MODULE), import_name("put"))) extern void
wasmlet_objects_put(const char *bucket, size_t bucket_len, const char *key, size_t key_len, const void *body,
                    size_t body_len, const char *content_type, size_t content_type_len, uint8_t *ret);
__attribute__((import_module(OBJECTS_MODULE), import_name("list-objects"))) extern void
wasmlet_objects_list(const char *bucket, size_t bucket_len, const char *prefix, size_t prefix_len,
                     int32_t has_continuation, const char *continuation, size_t continuation_len, uint32_t max_keys,
                     uint8_t *ret);
__attribute__((import_module(OBJECTS_MODULE), import_name("delete"))) extern void
wasmlet_objects_delete(const char *bucket, size_t bucket_len, const char *key, size_t key_len, uint8_t *ret);

/* In the order of the WIT enum, which is the order of wasmlet_objects_error_code. */
static const char *const error_names[] = {
    "denied", "no-such-bucket", "invalid-key", "invalid-range", "too-large", "quota-exceeded", "other",
};
#define ERROR_CODE_COUNT (sizeof error_names / sizeof error_names[0])

const char *wasmlet_objects_error_name(wasmlet_objects_error_code code) {
  return (unsigned)code < ERROR_CODE_COUNT ? error_names[code] : "unknown";
}

static uint32_t u32_at(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* A u64 field: 8-aligned in the wasm32 layout, read bytewise so the native 32-bit tests (where
 * uint64_t is 4-aligned) read the same offsets. */
static uint64_t u64_at(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* A host-written string or list<u8> at (ptr @p, len @p+4), grown by one byte for a NUL. A
 * non-empty one was allocated with our cabi_realloc (realloc), so it can grow in place; an empty
 * one was never allocated (its pointer is the alignment) and becomes a fresh "". */
static uint8_t *take_bytes(const uint8_t *p, size_t *len_out) {
  uint8_t *ptr = (uint8_t *)(uintptr_t)u32_at(p);
  size_t len = u32_at(p + 4);
  uint8_t *out = wasmlet_checked_realloc(len ? ptr : NULL, len + 1);
  out[len] = '\0';
  if (len_out) *len_out = len;
  return out;
}

static char *take_text(const uint8_t *p) {
  return (char *)take_bytes(p, NULL);
}

/* object-info at `p` (40 bytes, 8-aligned): key @0, size @8, etag @16, content-type @24, last-modified @32. */
static void take_info(const uint8_t *p, wasmlet_object_info *info) {
  info->key = take_text(p);
  info->size = u64_at(p + 8);
  info->etag = take_text(p + 16);
  info->content_type = take_text(p + 24);
  info->last_modified = u64_at(p + 32);
}

/* object-error at `p`: code u8 @0, message @4. Always takes the message (so nothing leaks). */
static int take_error(const uint8_t *p, wasmlet_objects_error *err) {
  char *message = take_text(p + 4);
  if (!err) {
    free(message);
    return -1;
  }
  /* A code this SDK does not know is "anything else". */
  err->code = p[0] < ERROR_CODE_COUNT ? (wasmlet_objects_error_code)p[0] : WASMLET_OBJECTS_OTHER;
  err->message = message;
  return -1;
}

static void clear_error(wasmlet_objects_error *err) {
  if (err) memset(err, 0, sizeof *err);
}

static size_t length_of(const char *s) {
  return s ? strlen(s) : 0;
}

static int get(const char *bucket, const char *key, int has_range, uint64_t first, uint64_t last, wasmlet_object *obj,
               wasmlet_objects_error *err) {
  /* result<option<object>, object-error>, 64 bytes: tag u8 @0; ok: option tag u8 @8, object @16
   * (object-info @16, body ptr/len @56/@60); err: object-error @8. */
  _Alignas(8) uint8_t ret[64] = {0};
  wasmlet_objects_get(bucket, strlen(bucket), key, strlen(key), has_range, first, last, ret);
  memset(obj, 0, sizeof *obj);
  clear_error(err);
  if (ret[0] != 0) return take_error(ret + 8, err);
  if (ret[8] == 0) return 0;
  take_info(ret + 16, &obj->info);
  obj->body = take_bytes(ret + 56, &obj->body_len);
  return 1;
}

int wasmlet_object_get(const char *bucket, const char *key, wasmlet_object *obj, wasmlet_objects_error *err) {
  return get(bucket, key, 0, 0, 0, obj, err);
}

int wasmlet_object_get_range(const char *bucket, const char *key, uint64_t first, uint64_t last, wasmlet_object *obj,
                             wasmlet_objects_error *err) {
  return get(bucket, key, 1, first, last, obj, err);
}

int wasmlet_object_head(const char *bucket, const char *key, wasmlet_object_info *info, wasmlet_objects_error *err) {
  /* result<option<object-info>, object-error>, 56 bytes: tag u8 @0; ok: option tag u8 @8,
   * object-info @16; err: object-error @8. */
  _Alignas(8) uint8_t ret[56] = {0};
  wasmlet_objects_head(bucket, strlen(bucket), key, strlen(key), ret);
  memset(info, 0, sizeof *info);
  clear_error(err);
  if (ret[0] != 0) return take_error(ret + 8, err);
  if (ret[8] == 0) return 0;
  take_info(ret + 16, info);
  return 1;
}

int wasmlet_object_put(const char *bucket, const char *key, const void *body, size_t len, const char *content_type,
                       wasmlet_object_info *info, wasmlet_objects_error *err) {
  /* result<object-info, object-error>, 48 bytes: tag u8 @0; ok: object-info @8; err: object-error @8. */
  _Alignas(8) uint8_t ret[48] = {0};
  wasmlet_objects_put(bucket, strlen(bucket), key, strlen(key), body, len, content_type ? content_type : "",
                      length_of(content_type), ret);
  if (info) memset(info, 0, sizeof *info);
  clear_error(err);
  if (ret[0] != 0) return take_error(ret + 8, err);
  wasmlet_object_info taken;
  take_info(ret + 8, &taken);
  if (info) *info = taken;
  else wasmlet_object_info_free(&taken);
  return 0;
}

int wasmlet_object_list(const char *bucket, const char *prefix, const char *continuation, uint32_t max_keys,
                        wasmlet_object_page *page, wasmlet_objects_error *err) {
  /* result<object-page, object-error>, 24 bytes, 4-aligned: tag u8 @0; ok: objects ptr/len @4/@8,
   * continuation option tag u8 @12, string @16/@20; err: object-error @4. */
  _Alignas(8) uint8_t ret[24] = {0};
  wasmlet_objects_list(bucket, strlen(bucket), prefix ? prefix : "", length_of(prefix), continuation != NULL,
                       continuation ? continuation : "", length_of(continuation), max_keys, ret);
  memset(page, 0, sizeof *page);
  clear_error(err);
  if (ret[0] != 0) return take_error(ret + 4, err);
  /* The host's array holds 40-byte object-info records (their strings are ptr/len pairs): each is
   * taken into a wasmlet_object_info, then the array itself is freed. */
  uint8_t *records = (uint8_t *)(uintptr_t)u32_at(ret + 4);
  size_t count = u32_at(ret + 8);
  if (count) {
    page->objects = wasmlet_checked_realloc(NULL, count * sizeof *page->objects);
    for (size_t i = 0; i < count; i++) take_info(records + i * 40, &page->objects[i]);
    page->objects_len = count;
    free(records);
  }
  if (ret[12] != 0) page->continuation = take_text(ret + 16);
  return 0;
}

int wasmlet_object_delete(const char *bucket, const char *key, wasmlet_objects_error *err) {
  /* result<bool, object-error>, 16 bytes, 4-aligned: tag u8 @0; ok: bool u8 @4; err: object-error @4. */
  _Alignas(8) uint8_t ret[16] = {0};
  wasmlet_objects_delete(bucket, strlen(bucket), key, strlen(key), ret);
  clear_error(err);
  if (ret[0] != 0) return take_error(ret + 4, err);
  return ret[4] != 0;
}

void wasmlet_object_info_free(wasmlet_object_info *info) {
  free(info->key);
  free(info->etag);
  free(info->content_type);
  memset(info, 0, sizeof *info);
}

void wasmlet_object_free(wasmlet_object *obj) {
  wasmlet_object_info_free(&obj->info);
  free(obj->body);
  memset(obj, 0, sizeof *obj);
}

void wasmlet_object_page_free(wasmlet_object_page *page) {
  for (size_t i = 0; i < page->objects_len; i++) wasmlet_object_info_free(&page->objects[i]);
  free(page->objects);
  free(page->continuation);
  memset(page, 0, sizeof *page);
}

void wasmlet_objects_error_free(wasmlet_objects_error *err) {
  free(err->message);
  memset(err, 0, sizeof *err);
}

static int starts_with(wasmlet_str s, const char *prefix) {
  size_t len = strlen(prefix);
  return s.len >= len && memcmp(s.ptr, prefix, len) == 0;
}

int wasmlet_object_event_of(const wasmlet_message *message, wasmlet_object_event *event) {
  memset(event, 0, sizeof *event);
  wasmlet_str size;
  if (!wasmlet_message_attribute(message, "object-event", &event->name) ||
      !wasmlet_message_attribute(message, "object-bucket", &event->bucket) ||
      !wasmlet_message_attribute(message, "object-key", &event->key) ||
      !wasmlet_message_attribute(message, "object-size", &size) ||
      !wasmlet_message_attribute(message, "object-etag", &event->etag)) {
    memset(event, 0, sizeof *event);
    return 0;
  }
  event->created = starts_with(event->name, "ObjectCreated:");
  for (size_t i = 0; i < size.len && size.ptr[i] >= '0' && size.ptr[i] <= '9'; i++) {
    event->size = event->size * 10 + (uint64_t)(size.ptr[i] - '0');
  }
  return 1;
}
