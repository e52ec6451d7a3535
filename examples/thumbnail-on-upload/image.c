/* The stb implementations, configured for a sandbox: memory buffers only (no stdio), PNG and JPEG
 * only, no thread-locals (the wasm32-wasi target has no threads), and wrappers for image.h. */
#if !__has_include(<stb_image.h>)
#error "stb headers not found: install Debian's libstb-dev (toolchains/c/install.sh) and build with this folder's build.flags"
#endif

#define STBI_NO_STDIO
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_THREAD_LOCALS
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb_image_resize.h>

#include <math.h>
#include <string.h>

#include "image.h"

image_format image_sniff(const uint8_t *data, size_t len) {
  static const uint8_t png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (len >= sizeof png && memcmp(data, png, sizeof png) == 0) return IMAGE_PNG;
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) return IMAGE_JPEG;
  return IMAGE_UNKNOWN;
}

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return be16(p) << 16 | be16(p + 2); }

int image_declared_size(const uint8_t *data, size_t len, uint32_t *width, uint32_t *height) {
  switch (image_sniff(data, len)) {
  case IMAGE_PNG: /* signature, then IHDR first: length, "IHDR", width, height */
    if (len < 24 || memcmp(data + 12, "IHDR", 4) != 0) return 0;
    *width = be32(data + 16);
    *height = be32(data + 20);
    return 1;
  case IMAGE_JPEG: /* walk the marker segments up to the first start-of-frame */
    for (size_t i = 2; i + 4 <= len;) {
      if (data[i] != 0xff) return 0;
      uint8_t marker = data[i + 1];
      if (marker == 0xff) { /* fill byte */
        i++;
        continue;
      }
      uint32_t seg = be16(data + i + 2);
      int sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (sof) {
        if (i + 9 > len) return 0;
        *height = be16(data + i + 5);
        *width = be16(data + i + 7);
        return 1;
      }
      if (marker == 0xd9 || marker == 0xda || seg < 2) return 0; /* end of image / scan before any frame */
      i += 2 + seg;
    }
    return 0;
  default:
    return 0;
  }
}

int image_probe(const uint8_t *data, size_t len, int *width, int *height, int *channels) {
  if (len > INT32_MAX) return 0;
  return stbi_info_from_memory(data, (int)len, width, height, channels);
}

int image_decode(const uint8_t *data, size_t len, image *out) {
  int w, h, n;
  if (!image_probe(data, len, &w, &h, &n)) return 0;
  /* Ask for the probed channel count: 16-bit and paletted PNGs come back as 8-bit of it. */
  unsigned char *pixels = stbi_load_from_memory(data, (int)len, &w, &h, &n, n);
  if (!pixels) return 0;
  *out = (image){.width = w, .height = h, .channels = n, .pixels = pixels};
  return 1;
}

/* A box reduction is done first when the source is at least this many times the target on both
 * axes, leaving the filter at least this much oversampling (Pillow's thumbnail() "reducing_gap"). */
#define REDUCING_GAP 2
/* Largest box side; larger shrinks leave the rest to the filter. */
#define MAX_BOX_SIDE 64

/* sRGB bytes to 16-bit linear light and back (through 4096 steps), for averaging in linear light:
 * averaging sRGB values directly darkens fine detail (a 1-in-3 white line pattern comes out
 * mid-grey instead of light grey). Built per instance: 4352 powf calls, well under a millisecond. */
static uint16_t srgb_to_linear[256];
static uint8_t linear_to_srgb[4096];

static void build_srgb_tables(void) {
  if (srgb_to_linear[255]) return;
  for (int i = 0; i < 256; i++) {
    float c = i / 255.0f;
    float l = c <= 0.04045f ? c / 12.92f : powf((c + 0.055f) / 1.055f, 2.4f);
    srgb_to_linear[i] = (uint16_t)(l * 65535.0f + 0.5f);
  }
  for (int i = 0; i < 4096; i++) {
    float l = (i + 0.5f) / 4096.0f;
    float c = l <= 0.0031308f ? l * 12.92f : 1.055f * powf(l, 1 / 2.4f) - 0.055f;
    linear_to_srgb[i] = (uint8_t)(c * 255.0f + 0.5f);
  }
}

/* Averages k x k blocks (edge blocks are smaller) in linear light, colour weighted by alpha so that
 * transparent pixels do not bleed into their neighbours. Costs a table lookup and an add per input
 * byte, where the filter would spend several float multiplies: most of a big shrink's time saved. */
static int reduce_box(const image *in, int k, image *out) {
  const int n = in->channels, alpha = n == 2 || n == 4 ? n - 1 : -1;
  const int ow = (in->width + k - 1) / k, oh = (in->height + k - 1) / k;
  unsigned char *pixels = malloc((size_t)ow * (size_t)oh * (size_t)n);
  uint64_t *sums = malloc((size_t)ow * (size_t)n * sizeof *sums);
  if (!pixels || !sums) {
    free(pixels);
    free(sums);
    return 0;
  }
  build_srgb_tables();
  for (int by = 0; by < oh; by++) {
    const int y0 = by * k, y1 = y0 + k < in->height ? y0 + k : in->height;
    memset(sums, 0, (size_t)ow * (size_t)n * sizeof *sums);
    for (int y = y0; y < y1; y++) {
      const unsigned char *p = in->pixels + (size_t)y * (size_t)in->width * (size_t)n;
      uint64_t *s = sums;
      for (int x0 = 0; x0 < in->width; x0 += k, s += n) {
        const int x1 = x0 + k < in->width ? x0 + k : in->width;
        for (int x = x0; x < x1; x++, p += n) {
          if (alpha < 0) {
            for (int c = 0; c < n; c++) s[c] += srgb_to_linear[p[c]];
          } else {
            const uint32_t a = p[alpha];
            for (int c = 0; c < alpha; c++) s[c] += (uint64_t)srgb_to_linear[p[c]] * a;
            s[alpha] += a;
          }
        }
      }
    }
    unsigned char *o = pixels + (size_t)by * (size_t)ow * (size_t)n;
    for (int bx = 0; bx < ow; bx++, o += n) {
      const uint64_t *s = sums + (size_t)bx * (size_t)n;
      const int x0 = bx * k, x1 = x0 + k < in->width ? x0 + k : in->width;
      const uint64_t count = (uint64_t)(y1 - y0) * (uint64_t)(x1 - x0);
      const uint64_t weight = alpha < 0 ? count : s[alpha];
      const int colours = alpha < 0 ? n : alpha;
      for (int c = 0; c < colours; c++) o[c] = weight ? linear_to_srgb[(s[c] / weight) >> 4] : 0;
      if (alpha >= 0) o[alpha] = (unsigned char)((s[alpha] + count / 2) / count);
    }
  }
  free(sums);
  *out = (image){.width = ow, .height = oh, .channels = n, .pixels = pixels};
  return 1;
}

int image_resize(const image *in, int width, int height, image *out) {
  image reduced = {0};
  int kx = in->width / (REDUCING_GAP * width), ky = in->height / (REDUCING_GAP * height);
  int k = kx < ky ? kx : ky;
  if (k > MAX_BOX_SIDE) k = MAX_BOX_SIDE;
  if (k >= 2) {
    if (!reduce_box(in, k, &reduced)) return 0;
    in = &reduced;
  }
  unsigned char *pixels = malloc((size_t)width * (size_t)height * (size_t)in->channels);
  int alpha = in->channels == 2 || in->channels == 4 ? in->channels - 1 : STBIR_ALPHA_CHANNEL_NONE;
  /* Default filters: Mitchell when shrinking, Catmull-Rom when enlarging; filtering happens in linear light. */
  int ok = pixels && stbir_resize_uint8_srgb(in->pixels, in->width, in->height, 0, pixels, width, height, 0,
                                             in->channels, alpha, 0);
  free(reduced.pixels);
  if (!ok) {
    free(pixels);
    return 0;
  }
  *out = (image){.width = width, .height = height, .channels = in->channels, .pixels = pixels};
  return 1;
}

unsigned char *image_encode_png(const image *in, size_t *out_len) {
  int len = 0;
  unsigned char *png = stbi_write_png_to_mem(in->pixels, 0, in->width, in->height, in->channels, &len);
  *out_len = png ? (size_t)len : 0;
  return png;
}

void image_free(image *img) {
  /* stbi_image_free is free() unless STBI_FREE is redefined, so one call frees either kind. */
  stbi_image_free(img->pixels);
  img->pixels = NULL;
}

const char *image_failure_reason(void) {
  const char *reason = stbi_failure_reason();
  return reason ? reason : "unknown";
}
