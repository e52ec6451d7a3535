/* POST /thumbnail?width=128[&height=96] with a PNG or JPEG body -> a PNG that fits the box,
 * aspect ratio kept, never enlarged, turned upright by the JPEG's EXIF orientation.
 * Errors are 4xx JSON: {"error":{"code","message"}}. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "orientation.h"
#include "wasmlet.h"

/* Largest thumbnail side a client may ask for: 2048x2048 RGBA is 16 MiB of pixels before PNG. */
#define MAX_SIDE_PX 2048
/* Box used when the query names neither side (e.g. `wasmlet invoke thumbnail --data-file x.png`). */
#define DEFAULT_SIDE_PX 128
/* Source budget under the manifest's memory_mb = 128, checked from the header before decoding:
 * a progressive 4:2:0 JPEG peaks near 7.5 bytes per pixel while decoding, an 8-bit PNG near twice
 * its decoded size, and the 8 MiB body sits beside either. 16 MP RGB (4096x4096, a 12-megapixel
 * photo) and 12 MP RGBA fit. What still runs out of memory while decoding (a 16-bit PNG or a
 * progressive 4:4:4 JPEG near the limits) gets the same 413: stb returns, nothing traps. */
#define MAX_SOURCE_PIXELS (16u * 1024u * 1024u)
#define MAX_DECODED_BYTES (48u * 1024u * 1024u)
/* The host refuses guest responses over 6 MiB (response_too_large); answer a clear 422 instead. */
#define MAX_RESPONSE_BYTES (6u * 1024u * 1024u)

/* Writes `s` as the body of a JSON string: quotes, backslashes and control characters escaped,
 * non-ASCII bytes replaced (a query value need not be UTF-8). */
static void write_json_string(wasmlet_response *res, const char *s) {
  wasmlet_response_write_str(res, "\"");
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    char esc[8];
    if (c == '"' || c == '\\') {
      snprintf(esc, sizeof esc, "\\%c", c);
    } else if (c < 0x20) {
      snprintf(esc, sizeof esc, "\\u%04x", c);
    } else if (c >= 0x80) {
      snprintf(esc, sizeof esc, "?");
    } else {
      snprintf(esc, sizeof esc, "%c", c);
    }
    wasmlet_response_write_str(res, esc);
  }
  wasmlet_response_write_str(res, "\"");
}

static int fail(wasmlet_response *res, uint16_t status, const char *code, const char *message) {
  wasmlet_response_status(res, status);
  wasmlet_response_header(res, "content-type", "application/json");
  wasmlet_response_write_str(res, "{\"error\":{\"code\":");
  write_json_string(res, code);
  wasmlet_response_write_str(res, ",\"message\":");
  write_json_string(res, message);
  wasmlet_response_write_str(res, "}}\n");
  return 0; /* a 4xx is an answer, not a guest error */
}

/* Reads query parameter `key` as a side length: 0 when absent, -1 (and a 400 written) when it is
 * not a decimal integer in 1..MAX_SIDE_PX. */
static int side_param(const wasmlet_request *req, wasmlet_response *res, const char *key) {
  char value[32], message[128];
  if (!wasmlet_query_param(req, key, value, sizeof value)) return 0;
  size_t len = strlen(value);
  long n = 0;
  int ok = len > 0 && len < sizeof value - 1; /* a full buffer may have been truncated */
  for (size_t i = 0; ok && i < len; i++) {
    ok = value[i] >= '0' && value[i] <= '9' && (n = n * 10 + (value[i] - '0')) <= MAX_SIDE_PX;
  }
  if (ok && n >= 1) return (int)n;
  if (len > 16) strcpy(value + 13, "...");
  snprintf(message, sizeof message, "%s must be an integer from 1 to %d, got \"%s\"", key, MAX_SIDE_PX, value);
  fail(res, 400, "invalid_parameter", message);
  return -1;
}

/* The output size: fits box_w x box_h (0 = unbounded side), keeps the aspect ratio, never
 * enlarges, and is at least 1x1. */
static void fit(int src_w, int src_h, int box_w, int box_h, int *out_w, int *out_h) {
  uint64_t w = (uint64_t)src_w, h = (uint64_t)src_h;
  /* Width limits the box when box_w/w <= box_h/h, i.e. box_w*h <= box_h*w. */
  int by_width = box_h == 0 || (box_w != 0 && (uint64_t)box_w * h <= (uint64_t)box_h * w);
  if (by_width) {
    *out_w = box_w;
    *out_h = (int)(((uint64_t)box_w * h + w / 2) / w);
  } else {
    *out_h = box_h;
    *out_w = (int)(((uint64_t)box_h * w + h / 2) / h);
  }
  if (by_width ? box_w >= src_w : box_h >= src_h) {
    *out_w = src_w;
    *out_h = src_h;
  }
  if (*out_w < 1) *out_w = 1;
  if (*out_h < 1) *out_h = 1;
}

int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res) {
  char message[160];
  int box_w = side_param(req, res, "width");
  if (box_w < 0) return 0;
  int box_h = side_param(req, res, "height");
  if (box_h < 0) return 0;
  if (box_w == 0 && box_h == 0) box_w = box_h = DEFAULT_SIDE_PX;

  if (req->body_len == 0) return fail(res, 400, "empty_body", "POST a PNG or JPEG image as the request body");
  if (image_sniff(req->body, req->body_len) == IMAGE_UNKNOWN) {
    return fail(res, 415, "unsupported_media_type", "the body is not a PNG or JPEG image");
  }
  uint32_t declared_w, declared_h;
  if (!image_declared_size(req->body, req->body_len, &declared_w, &declared_h)) {
    return fail(res, 422, "image_invalid", "the image header is corrupt or truncated");
  }
  if ((uint64_t)declared_w * declared_h > MAX_SOURCE_PIXELS) {
    snprintf(message, sizeof message, "the image is %" PRIu32 "x%" PRIu32 "; at most %u pixels can be decoded",
             declared_w, declared_h, MAX_SOURCE_PIXELS);
    return fail(res, 413, "image_too_large", message);
  }
  int src_w, src_h, channels;
  if (!image_probe(req->body, req->body_len, &src_w, &src_h, &channels)) {
    snprintf(message, sizeof message, "the image header is corrupt or truncated (%s)", image_failure_reason());
    return fail(res, 422, "image_invalid", message);
  }
  if ((uint64_t)src_w * (uint64_t)src_h * (uint64_t)channels > MAX_DECODED_BYTES) {
    snprintf(message, sizeof message, "the image is %dx%d with %d channels; at most %u bytes can be decoded", src_w,
             src_h, channels, MAX_DECODED_BYTES);
    return fail(res, 413, "image_too_large", message);
  }

  image src, thumb;
  if (!image_decode(req->body, req->body_len, &src)) {
    const char *reason = image_failure_reason();
    if (strcmp(reason, "outofmem") == 0) {
      return fail(res, 413, "image_too_large", "the image does not fit in the function's memory once decoded");
    }
    snprintf(message, sizeof message, "the image cannot be decoded (%s)", reason);
    return fail(res, 422, "image_invalid", message);
  }
  /* The box applies to the image as displayed; resizing works on it as stored, and the small
   * result is turned last. */
  int orientation = image_sniff(req->body, req->body_len) == IMAGE_JPEG ? jpeg_exif_orientation(req->body, req->body_len) : 1;
  int swap = orientation_swaps_sides(orientation);
  int out_w, out_h;
  fit(swap ? src.height : src.width, swap ? src.width : src.height, box_w, box_h, &out_w, &out_h);
  int stored_w = swap ? out_h : out_w, stored_h = swap ? out_w : out_h;
  if (stored_w == src.width && stored_h == src.height) {
    thumb = src; /* already small enough: re-encode as PNG only */
    src.pixels = NULL;
  } else {
    int resized = image_resize(&src, stored_w, stored_h, &thumb);
    image_free(&src);
    if (!resized) {
      wasmlet_response_error(res, "out of memory while resizing");
      return 1;
    }
  }
  if (orientation != 1) {
    image turned;
    int ok = image_orient(&thumb, orientation, &turned);
    image_free(&thumb);
    if (!ok) {
      wasmlet_response_error(res, "out of memory while turning the image upright");
      return 1;
    }
    thumb = turned;
  }
  size_t png_len;
  unsigned char *png = image_encode_png(&thumb, &png_len);
  image_free(&thumb);
  if (!png) {
    wasmlet_response_error(res, "out of memory while encoding the PNG");
    return 1;
  }
  if (png_len > MAX_RESPONSE_BYTES) {
    free(png);
    snprintf(message, sizeof message, "a %dx%d PNG of this image is over %u bytes; ask for a smaller size", out_w,
             out_h, MAX_RESPONSE_BYTES);
    return fail(res, 422, "output_too_large", message);
  }
  char side[16];
  wasmlet_response_header(res, "content-type", "image/png");
  snprintf(side, sizeof side, "%d", out_w);
  wasmlet_response_header(res, "x-thumbnail-width", side);
  snprintf(side, sizeof side, "%d", out_h);
  wasmlet_response_header(res, "x-thumbnail-height", side);
  wasmlet_response_write(res, png, png_len);
  free(png);
  return 0;
}
