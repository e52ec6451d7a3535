/* Native tests of the thumbnail function (run.sh): the handler, sizing and EXIF orientation,
 * called directly with the C SDK's glue and stubbed host imports, images from ../testdata. */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include <stdint.h>
#include <stdlib.h>

#pragma GCC diagnostic ignored "-Wattributes"
#ifdef __clang__
#pragma clang diagnostic ignored "-Wunknown-attributes"
#endif
#include "wasmlet.c"   /* sdk/c: the opaque wasmlet_response becomes inspectable */
#include "../thumbnail.c" /* the handler and its static helpers (fit) */

#include <stb_image.h> /* declarations only: image.c holds the implementation */

#include "harness.h" /* sdk/c/test */

void wasmlet_host_log(int32_t level, const char *ptr, size_t len) { (void)level, (void)ptr, (void)len; }
void wasmlet_host_get_config(const char *ptr, size_t len, uint8_t *ret) { (void)ptr, (void)len, ret[0] = 0; }

static const char *testdata_dir;

typedef struct {
  uint8_t *data;
  size_t len;
} bytes;

static bytes read_testdata(const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", testdata_dir, name);
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

typedef struct {
  wasmlet_response res;
  int returned;
} call_result;

/* Calls the handler as the export would, with `body` and the query string `query`. */
static call_result post(const char *query, const void *body, size_t body_len) {
  wasmlet_request req = {
      .method = {"POST", 4}, .path = {"/thumbnail", 10}, .query = {query, strlen(query)}, .body = body, .body_len = body_len};
  call_result r = {.res = {.status = 200}};
  r.returned = wasmlet_handle(&req, &r.res);
  return r;
}

static int has_header(const wasmlet_response *res, const char *name, const char *value) {
  for (size_t i = 0; i < res->headers_len; i++) {
    if (bytes_eq(res->headers[i].name.ptr, res->headers[i].name.len, name) &&
        bytes_eq(res->headers[i].value.ptr, res->headers[i].value.len, value))
      return 1;
  }
  return 0;
}

/* A 4xx answer with the JSON error `code`. */
static int is_error(const call_result *r, uint16_t status, const char *code) {
  char needle[64];
  snprintf(needle, sizeof needle, "{\"error\":{\"code\":\"%s\"", code);
  return r->returned == 0 && r->res.status == status && has_header(&r->res, "content-type", "application/json") &&
         r->res.body_len > strlen(needle) && memcmp(r->res.body, needle, strlen(needle)) == 0;
}

static void free_result(call_result *r) {
  for (size_t i = 0; i < r->res.headers_len; i++) {
    free((void *)r->res.headers[i].name.ptr);
    free((void *)r->res.headers[i].value.ptr);
  }
  free(r->res.headers);
  free(r->res.body);
  free(r->res.error);
}

/* ---- sizing ---------------------------------------------------------------------------------- */

TEST(fit_keeps_the_aspect_ratio_from_one_side) {
  int w, h;
  fit(1200, 800, 128, 0, &w, &h);
  CHECK(w == 128 && h == 85);
  fit(1200, 800, 0, 100, &w, &h);
  CHECK(w == 150 && h == 100);
}

TEST(fit_uses_the_tighter_side_of_a_box) {
  int w, h;
  fit(1200, 800, 300, 100, &w, &h); /* height binds */
  CHECK(w == 150 && h == 100);
  fit(800, 1200, 100, 300, &w, &h); /* width binds */
  CHECK(w == 100 && h == 150);
}

TEST(fit_never_enlarges) {
  int w, h;
  fit(120, 80, 500, 0, &w, &h);
  CHECK(w == 120 && h == 80);
  fit(100, 3, 99, 0, &w, &h); /* just under: shrinks, even when rounding keeps the height */
  CHECK(w == 99 && h == 3);
}

TEST(fit_never_goes_below_one_pixel) {
  int w, h;
  fit(4000, 1, 10, 0, &w, &h);
  CHECK(w == 10 && h == 1);
}

/* ---- the handler ----------------------------------------------------------------------------- */

static void check_png(const call_result *r, int width, int height, int channels) {
  CHECK(r->returned == 0 && r->res.status == 200);
  CHECK(has_header(&r->res, "content-type", "image/png"));
  int w = 0, h = 0, n = 0;
  CHECK(stbi_info_from_memory(r->res.body, (int)r->res.body_len, &w, &h, &n));
  CHECK(w == width && h == height && n == channels);
  char side[16];
  snprintf(side, sizeof side, "%d", width);
  CHECK(has_header(&r->res, "x-thumbnail-width", side));
  snprintf(side, sizeof side, "%d", height);
  CHECK(has_header(&r->res, "x-thumbnail-height", side));
}

TEST(jpeg_becomes_a_png_thumbnail) {
  bytes jpg = read_testdata("photo.jpg"); /* 120x80 */
  CHECK(jpg.len > 0);
  call_result r = post("width=64", jpg.data, jpg.len);
  check_png(&r, 64, 43, 3);
  free_result(&r);
  free(jpg.data);
}

TEST(png_alpha_is_kept) {
  bytes png = read_testdata("gradient-alpha.png"); /* 64x48 RGBA */
  call_result r = post("width=16&height=16", png.data, png.len);
  check_png(&r, 16, 12, 4);
  free_result(&r);
  free(png.data);
}

TEST(no_size_means_a_128_box) {
  bytes png = read_testdata("gradient-alpha.png");
  call_result r = post("", png.data, png.len); /* smaller than the box: kept as is */
  check_png(&r, 64, 48, 4);
  free_result(&r);
  free(png.data);
}

TEST(exif_orientation_turns_the_thumbnail_upright) {
  bytes jpg = read_testdata("portrait-exif6.jpg"); /* stored 60x40, shown 40x60, red on top */
  CHECK(jpeg_exif_orientation(jpg.data, jpg.len) == 6);
  call_result r = post("height=30", jpg.data, jpg.len);
  check_png(&r, 20, 30, 3);
  int w, h, n;
  unsigned char *px = stbi_load_from_memory(r.res.body, (int)r.res.body_len, &w, &h, &n, 3);
  CHECK(px && px[(2 * w + 10) * 3] > 200 && px[(2 * w + 10) * 3 + 2] < 60); /* (10, 2) is red */
  stbi_image_free(px);
  free_result(&r);
  free(jpg.data);
}

TEST(bad_sizes_are_400) {
  const char *queries[] = {"width=0", "width=2049", "width=abc", "width=12px", "height=-5", "width=%31e3",
                           "width=000000000000000000000000000000128"};
  for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
    call_result r = post(queries[i], "x", 1);
    CHECK(is_error(&r, 400, "invalid_parameter"));
    free_result(&r);
  }
}

TEST(body_errors) {
  call_result r = post("width=10", "", 0);
  CHECK(is_error(&r, 400, "empty_body"));
  free_result(&r);
  bytes txt = read_testdata("not-an-image.txt");
  r = post("width=10", txt.data, txt.len);
  CHECK(is_error(&r, 415, "unsupported_media_type"));
  free_result(&r);
  free(txt.data);
  bytes png = read_testdata("gradient-alpha.png");
  r = post("width=10", png.data, 200); /* cut inside the pixel data */
  CHECK(is_error(&r, 422, "image_invalid"));
  free_result(&r);
  r = post("width=10", png.data, 20); /* cut inside the header */
  CHECK(is_error(&r, 422, "image_invalid"));
  free_result(&r);
  free(png.data);
}

TEST(huge_declared_size_is_413_before_decoding) {
  /* A PNG header declaring 20000x20000 and no pixel data: a decompression bomb's first bytes. */
  uint8_t png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                     0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20, 8, 2, 0, 0, 0};
  call_result r = post("width=10", png, sizeof png);
  CHECK(is_error(&r, 413, "image_too_large"));
  free_result(&r);
}

/* ---- EXIF ------------------------------------------------------------------------------------ */

TEST(exif_absent_or_malformed_means_1) {
  bytes jpg = read_testdata("photo.jpg");
  CHECK(jpeg_exif_orientation(jpg.data, jpg.len) == 1);
  free(jpg.data);
  bytes tagged = read_testdata("portrait-exif6.jpg");
  for (size_t cut = 0; cut < 64 && cut < tagged.len; cut++) { /* every truncation, read exactly (ASan) */
    uint8_t *copy = malloc(cut ? cut : 1);
    memcpy(copy, tagged.data, cut);
    int o = jpeg_exif_orientation(copy, cut);
    CHECK(o >= 1 && o <= 8);
    free(copy);
  }
  free(tagged.data);
}

TEST(image_orient_maps_every_orientation) {
  /* Stored 3x2 grey pixels 0..5; shown[o] is what a viewer displays for orientation o. */
  unsigned char stored[6] = {0, 1, 2, 3, 4, 5};
  const unsigned char shown[9][6] = {
      {0}, {0, 1, 2, 3, 4, 5}, {2, 1, 0, 5, 4, 3}, {5, 4, 3, 2, 1, 0}, {3, 4, 5, 0, 1, 2},
      {0, 3, 1, 4, 2, 5}, {3, 0, 4, 1, 5, 2}, {5, 2, 4, 1, 3, 0}, {2, 5, 1, 4, 0, 3}};
  image in = {.width = 3, .height = 2, .channels = 1, .pixels = stored};
  for (int o = 1; o <= 8; o++) {
    image out;
    CHECK(image_orient(&in, o, &out));
    CHECK(out.width == (o >= 5 ? 2 : 3) && out.height == (o >= 5 ? 3 : 2));
    CHECK(memcmp(out.pixels, shown[o], 6) == 0);
    free(out.pixels);
  }
}

int main(int argc, char **argv) {
  testdata_dir = argc > 1 ? argv[1] : "../testdata";
  return run_tests("thumbnail");
}
