/* Native tests of thumbnail-on-upload (run.sh): the thumbnail's key, the rendering, and the queue
 * handler called as the export would, against stubs of the host's imports that serve objects from
 * memory (at their wasm32 offsets, so the handler's cases run in the 32-bit build). */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include <stdint.h>
#include <stdlib.h>

#pragma GCC diagnostic ignored "-Wattributes"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wunknown-attributes"
#endif
#include "wasmlet.c"         /* sdk/c (built with -DWASMLET_NO_HTTP_HANDLER, as the function is) */
#include "wasmlet-queue.c"   /* wasmlet_message_* */
#include "wasmlet-objects.c" /* the objects glue, whose imports are stubbed below */
#include "../on-upload.c"    /* the handler and render_thumbnail */

#include <stb_image.h> /* declarations only: image.c holds the implementation */

#include "harness.h"   /* sdk/c/test */
#include "host-args.h" /* ABI32, host_string */

static const char *testdata_dir; /* examples/thumbnail/testdata: small images, EXIF, not an image */
static const char *own_testdata_dir; /* this example's: photo.jpg, 1024x683 */

typedef struct {
  uint8_t *data;
  size_t len;
} bytes;

static bytes read_file(const char *dir, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  bytes b = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return b;
  fseek(f, 0, SEEK_END);
  b.len = (size_t)ftell(f);
  rewind(f);
  b.data = malloc(b.len ? b.len : 1);
  if (fread(b.data, 1, b.len, f) != b.len) b.len = 0;
  fclose(f);
  return b;
}

static bytes read_testdata(const char *name) { return read_file(testdata_dir, name); }
static bytes read_photo(void) { return read_file(own_testdata_dir, "photo.jpg"); }

/* ---- the stub host ---------------------------------------------------------------------------- */

static char logged[4096];
void wasmlet_host_log(int32_t level, const char *ptr, size_t len) {
  (void)level;
  size_t used = strlen(logged);
  snprintf(logged + used, sizeof logged - used, "%.*s\n", (int)len, ptr);
}
void wasmlet_host_get_config(const char *ptr, size_t len, uint8_t *ret) { (void)ptr, (void)len, ret[0] = 0; }

/* What `get` answers: the object (bytes), none, or an error. */
static struct {
  bytes object;
  int none, err;
  uint8_t code;
  char bucket[64], key[1100];
} get_answer;
/* What `put` saw, and whether it fails. */
static struct {
  int calls, err;
  uint8_t code;
  char bucket[64], key[1100], type[64];
  uint8_t *body;
  size_t len;
} put_seen;

#if ABI32
static void put_u32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put_string(uint8_t *p, const char *s) {
  put_u32(p, (uint32_t)(uintptr_t)host_string(s));
  put_u32(p + 4, (uint32_t)strlen(s));
}
static void put_info(uint8_t *p, const char *key, size_t size) {
  memset(p, 0, 40);
  put_string(p, key);
  uint64_t size64 = size;
  memcpy(p + 8, &size64, 8);
  put_string(p + 16, "etag");
  put_string(p + 24, "application/octet-stream");
}
#endif

void wasmlet_objects_get(const char *bucket, size_t bucket_len, const char *key, size_t key_len, int32_t has_range,
                         uint64_t first, uint64_t last, uint8_t *ret) {
  (void)has_range, (void)first, (void)last;
  snprintf(get_answer.bucket, sizeof get_answer.bucket, "%.*s", (int)bucket_len, bucket);
  snprintf(get_answer.key, sizeof get_answer.key, "%.*s", (int)key_len, key);
#if ABI32
  memset(ret, 0, 64);
  if (get_answer.err) {
    ret[0] = 1, ret[8] = get_answer.code;
    put_string(ret + 12, "the host says no");
    return;
  }
  if (get_answer.none) return;
  ret[8] = 1;
  put_info(ret + 16, get_answer.key, get_answer.object.len);
  uint8_t *copy = get_answer.object.len ? memcpy(malloc(get_answer.object.len), get_answer.object.data, get_answer.object.len) : (uint8_t *)1;
  put_u32(ret + 56, (uint32_t)(uintptr_t)copy);
  put_u32(ret + 60, (uint32_t)get_answer.object.len);
#else
  (void)ret;
#endif
}

void wasmlet_objects_put(const char *bucket, size_t bucket_len, const char *key, size_t key_len, const void *body,
                         size_t body_len, const char *content_type, size_t content_type_len, uint8_t *ret) {
  put_seen.calls++;
  snprintf(put_seen.bucket, sizeof put_seen.bucket, "%.*s", (int)bucket_len, bucket);
  snprintf(put_seen.key, sizeof put_seen.key, "%.*s", (int)key_len, key);
  snprintf(put_seen.type, sizeof put_seen.type, "%.*s", (int)content_type_len, content_type);
  free(put_seen.body);
  put_seen.body = memcpy(malloc(body_len ? body_len : 1), body, body_len);
  put_seen.len = body_len;
#if ABI32
  memset(ret, 0, 48);
  if (put_seen.err) {
    ret[0] = 1, ret[8] = put_seen.code;
    put_string(ret + 12, "the host says no");
    return;
  }
  put_info(ret + 8, put_seen.key, body_len);
#else
  (void)ret;
#endif
}

/* Not called by the function: present so the glue links. */
void wasmlet_objects_head(const char *b, size_t bl, const char *k, size_t kl, uint8_t *ret) { (void)b, (void)bl, (void)k, (void)kl, (void)ret; }
void wasmlet_objects_list(const char *b, size_t bl, const char *p, size_t pl, int32_t hc, const char *c, size_t cl, uint32_t m, uint8_t *ret) {
  (void)b, (void)bl, (void)p, (void)pl, (void)hc, (void)c, (void)cl, (void)m, (void)ret;
}
void wasmlet_objects_delete(const char *b, size_t bl, const char *k, size_t kl, uint8_t *ret) { (void)b, (void)bl, (void)k, (void)kl, (void)ret; }

/* An ObjectCreated:Put message for uploads/<key> of `size` bytes, as the host's attributes say it. */
static wasmlet_message_result deliver(const char *event, const char *key, const char *size) {
  wasmlet_attribute attributes[] = {
      {WASMLET_STR("object-event"), {event, strlen(event)}},
      {WASMLET_STR("object-bucket"), WASMLET_STR("uploads")},
      {WASMLET_STR("object-key"), {key, strlen(key)}},
      {WASMLET_STR("object-size"), {size, strlen(size)}},
      {WASMLET_STR("object-etag"), WASMLET_STR("etag")},
  };
  wasmlet_message message = {.id = WASMLET_STR("m-1"), .attempt = 1, .attributes = attributes, .attributes_len = 5};
  return on_upload((wasmlet_str)WASMLET_STR("wasmlet.objects.thumbnail-on-upload.uploads"), &message);
}

/* ---- the key ---------------------------------------------------------------------------------- */

static int key_is(const char *key, const char *expected) {
  char out[64];
  return thumbnail_key(key, strlen(key), out, sizeof out) && strcmp(out, expected) == 0;
}

TEST(the_thumbnail_keeps_the_key_with_the_extension_png) {
  CHECK(key_is("2026/cat.jpg", "2026/cat.png"));
  CHECK(key_is("cat.JPEG", "cat.png"));
  CHECK(key_is("2026/cat", "2026/cat.png"));       /* no extension: one is added */
  CHECK(key_is("a.b/cat", "a.b/cat.png"));         /* a dot in a folder is no extension */
  CHECK(key_is("2026/.profile", "2026/.profile.png")); /* nor is a leading one */
  CHECK(key_is("archive.tar.gz", "archive.tar.png")); /* only the last extension goes */
  CHECK(key_is("x.png", "x.png"));
  char small[8];
  CHECK(thumbnail_key("2026/cat.jpg", 12, small, sizeof small) == 0); /* does not fit: refused */
}

/* ---- rendering -------------------------------------------------------------------------------- */

static int png_size(const thumbnail *t, int *w, int *h) {
  int n;
  return stbi_info_from_memory(t->png, (int)t->len, w, h, &n);
}

TEST(a_jpeg_becomes_a_png_of_128_by_85_keeping_its_aspect_ratio) {
  bytes photo = read_photo(); /* 1024x683 */
  CHECK(photo.len > 0);
  thumbnail t;
  char why[256];
  CHECK(render_thumbnail(photo.data, photo.len, 128, &t, why, sizeof why) == 1);
  int w = 0, h = 0;
  CHECK(png_size(&t, &w, &h) && w == t.width && h == t.height);
  CHECK(w == 128 && h == 85); /* 683 * 128 / 1024 = 85.4 */
  CHECK(t.len > 8 && memcmp(t.png, "\x89PNG", 4) == 0);
  free(t.png);
  free(photo.data);
}

TEST(the_tighter_side_decides_and_a_portrait_jpeg_is_turned_upright) {
  bytes photo = read_photo();
  thumbnail t;
  char why[256];
  CHECK(render_thumbnail(photo.data, photo.len, 64, &t, why, sizeof why) == 1);
  CHECK(t.width == 64 && t.height == 43);
  free(t.png);
  free(photo.data);
  bytes portrait = read_testdata("portrait-exif6.jpg"); /* stored 60x40, displayed 40x60 */
  CHECK(render_thumbnail(portrait.data, portrait.len, 30, &t, why, sizeof why) == 1);
  CHECK(t.width == 20 && t.height == 30);
  free(t.png);
  free(portrait.data);
}

TEST(a_small_png_is_not_enlarged) {
  bytes png = read_testdata("gradient-alpha.png");
  int src_w, src_h, n;
  CHECK(stbi_info_from_memory(png.data, (int)png.len, &src_w, &src_h, &n));
  thumbnail t;
  char why[256];
  CHECK(render_thumbnail(png.data, png.len, 4096, &t, why, sizeof why) == 1);
  CHECK(t.width == src_w && t.height == src_h);
  free(t.png);
  free(png.data);
}

TEST(what_is_not_an_image_says_so) {
  bytes text = read_testdata("not-an-image.txt");
  thumbnail t;
  char why[256];
  CHECK(render_thumbnail(text.data, text.len, 128, &t, why, sizeof why) == 0);
  CHECK(strcmp(why, "not a PNG or JPEG image") == 0 && t.png == NULL);
  bytes photo = read_photo();
  CHECK(render_thumbnail(photo.data, 200, 128, &t, why, sizeof why) == 0); /* cut short */
  CHECK(strstr(why, "corrupt or truncated") != NULL || strstr(why, "cannot be decoded") != NULL);
  free(text.data);
  free(photo.data);
}

/* ---- the handler (32-bit: the stubs write wasm32 layouts) -------------------------------------- */
#if ABI32

TEST(an_upload_gets_its_thumbnail_in_the_thumbnails_bucket) {
  get_answer.object = read_photo();
  wasmlet_message_result r = deliver("ObjectCreated:Put", "2026/cat.jpg", "30859");
  CHECK(r.outcome == WASMLET_MESSAGE_OK);
  CHECK(strcmp(get_answer.bucket, "uploads") == 0 && strcmp(get_answer.key, "2026/cat.jpg") == 0);
  CHECK(put_seen.calls == 1 && strcmp(put_seen.bucket, "thumbnails") == 0 && strcmp(put_seen.key, "2026/cat.png") == 0);
  CHECK(strcmp(put_seen.type, "image/png") == 0);
  int w, h, n;
  CHECK(stbi_info_from_memory(put_seen.body, (int)put_seen.len, &w, &h, &n) && w == 128 && h == 85);
  CHECK(strstr(logged, "uploads/2026/cat.jpg -> thumbnails/2026/cat.png (128x85)") != NULL);
}

TEST(a_text_file_fails_with_its_reason_and_writes_nothing) {
  get_answer.object = read_testdata("not-an-image.txt");
  wasmlet_message_result r = deliver("ObjectCreated:Put", "notes/readme.txt", "20");
  CHECK(r.outcome == WASMLET_MESSAGE_FAIL && strcmp(r.reason, "notes/readme.txt: not a PNG or JPEG image") == 0);
  CHECK(put_seen.calls == 0);
  free(r.reason);
}

TEST(an_object_too_large_is_refused_from_its_event_without_reading_it) {
  wasmlet_message_result r = deliver("ObjectCreated:Put", "huge.jpg", "16777217");
  CHECK(r.outcome == WASMLET_MESSAGE_FAIL && strstr(r.reason, "huge.jpg: 16777217 bytes") == r.reason);
  CHECK(get_answer.key[0] == '\0' && put_seen.calls == 0);
  free(r.reason);
}

TEST(an_object_deleted_since_is_done_and_a_deletion_is_ignored) {
  get_answer.none = 1;
  CHECK(deliver("ObjectCreated:Put", "gone.jpg", "10").outcome == WASMLET_MESSAGE_OK);
  CHECK(put_seen.calls == 0);
  get_answer.key[0] = '\0';
  CHECK(deliver("ObjectRemoved:Delete", "gone.jpg", "10").outcome == WASMLET_MESSAGE_OK);
  CHECK(get_answer.key[0] == '\0'); /* not even read */
}

TEST(a_refused_grant_is_given_up_a_host_failure_retried) {
  get_answer.err = 1, get_answer.code = WASMLET_OBJECTS_DENIED;
  wasmlet_message_result r = deliver("ObjectCreated:Put", "a.jpg", "10");
  CHECK(r.outcome == WASMLET_MESSAGE_FAIL && strcmp(r.reason, "a.jpg: the host says no (denied)") == 0);
  free(r.reason);
  get_answer.code = WASMLET_OBJECTS_OTHER;
  CHECK(deliver("ObjectCreated:Put", "a.jpg", "10").outcome == WASMLET_MESSAGE_RETRY);
  get_answer.err = 0;
  get_answer.object = read_photo();
  put_seen.err = 1, put_seen.code = WASMLET_OBJECTS_QUOTA_EXCEEDED;
  CHECK(deliver("ObjectCreated:Put", "a.jpg", "10").outcome == WASMLET_MESSAGE_RETRY);
  put_seen.code = WASMLET_OBJECTS_DENIED;
  r = deliver("ObjectCreated:Put", "a.jpg", "10");
  CHECK(r.outcome == WASMLET_MESSAGE_FAIL);
  free(r.reason);
}

#endif

TEST(a_message_that_is_not_an_object_event_fails) {
  wasmlet_message message = {.id = WASMLET_STR("m-2"), .body = (const uint8_t *)"{}", .body_len = 2, .attempt = 1};
  wasmlet_message_result r = on_upload((wasmlet_str)WASMLET_STR("q"), &message);
  CHECK(r.outcome == WASMLET_MESSAGE_FAIL && strstr(r.reason, "not an object event") == r.reason);
  free(r.reason);
}

int main(int argc, char **argv) {
  testdata_dir = argc > 1 ? argv[1] : "../../thumbnail/testdata";
  own_testdata_dir = argc > 2 ? argv[2] : "../testdata";
  return run_tests(ABI32 ? "32-bit thumbnail-on-upload" : "native thumbnail-on-upload");
}
