/* An image uploaded to bucket `uploads` gets a PNG thumbnail of at most 128x128 in bucket
 * `thumbnails`, under the same key with the extension .png (2026/cat.jpg -> 2026/cat.png): aspect
 * ratio kept, never enlarged, turned upright by a JPEG's EXIF orientation.
 *
 * Each `ObjectCreated` event of `uploads` ([[object_event]] in wasmlet.toml) is one queue message.
 * Something that is not a PNG or JPEG, or cannot be decoded, fails its message with the reason: it
 * goes to the dead-letter queue at once (`wasmlet queue dlq thumbnail-failures`). A read or write
 * the host could not do is retried (max_attempts), then dead-lettered too. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "orientation.h"
#include "thumbnail-key.h"
#include "wasmlet.h"

/* The box every thumbnail fits in. */
#define BOX_PX 128
/* An upload over this is not a photo to thumbnail: refused from its event, before reading a byte
 * (the host lets one call read up to 32 MiB; 16 MiB leaves the memory the decoder needs). */
#define MAX_SOURCE_BYTES (16u * 1024u * 1024u)
/* The decoding budget under memory_mb = 128, as examples/thumbnail explains: 16 MP, 48 MiB decoded. */
#define MAX_SOURCE_PIXELS (16u * 1024u * 1024u)
#define MAX_DECODED_BYTES (48u * 1024u * 1024u)
/* S3's longest key is 1024 bytes; ".png" may make it 4 longer. */
#define MAX_KEY_BYTES 1024

typedef struct {
  unsigned char *png;
  size_t len;
  int width, height;
} thumbnail;

/* The output size: fits box x box, keeps the aspect ratio, never enlarges, at least 1x1. */
static void fit(int src_w, int src_h, int box, int *out_w, int *out_h) {
  if (src_w <= box && src_h <= box) {
    *out_w = src_w, *out_h = src_h;
    return;
  }
  if (src_w >= src_h) {
    *out_w = box;
    *out_h = (int)(((uint64_t)box * (uint64_t)src_h + (uint64_t)src_w / 2) / (uint64_t)src_w);
  } else {
    *out_h = box;
    *out_w = (int)(((uint64_t)box * (uint64_t)src_w + (uint64_t)src_h / 2) / (uint64_t)src_h);
  }
  if (*out_w < 1) *out_w = 1;
  if (*out_h < 1) *out_h = 1;
}

/* Renders `data` (a PNG or JPEG) as a PNG thumbnail fitting box x box. Returns 1, or 0 with why
 * in `reason` (a permanent failure: the same bytes would fail again). */
int render_thumbnail(const uint8_t *data, size_t len, int box, thumbnail *out, char *reason, size_t reason_size) {
  memset(out, 0, sizeof *out);
  image_format format = image_sniff(data, len);
  if (format == IMAGE_UNKNOWN) return snprintf(reason, reason_size, "not a PNG or JPEG image"), 0;
  uint32_t declared_w, declared_h;
  if (!image_declared_size(data, len, &declared_w, &declared_h)) return snprintf(reason, reason_size, "the image header is corrupt or truncated"), 0;
  if ((uint64_t)declared_w * declared_h > MAX_SOURCE_PIXELS) {
    snprintf(reason, reason_size, "the image is %" PRIu32 "x%" PRIu32 "; at most %u pixels can be decoded", declared_w, declared_h, MAX_SOURCE_PIXELS);
    return 0;
  }
  int src_w, src_h, channels;
  if (!image_probe(data, len, &src_w, &src_h, &channels)) {
    snprintf(reason, reason_size, "the image header is corrupt or truncated (%s)", image_failure_reason());
    return 0;
  }
  if ((uint64_t)src_w * (uint64_t)src_h * (uint64_t)channels > MAX_DECODED_BYTES) {
    snprintf(reason, reason_size, "the image is %dx%d with %d channels; at most %u bytes can be decoded", src_w, src_h, channels, MAX_DECODED_BYTES);
    return 0;
  }
  image src, thumb;
  if (!image_decode(data, len, &src)) {
    snprintf(reason, reason_size, "the image cannot be decoded (%s)", image_failure_reason());
    return 0;
  }
  /* The box applies to the picture as displayed; resizing works on it as stored, turned last. */
  int orientation = format == IMAGE_JPEG ? jpeg_exif_orientation(data, len) : 1;
  int swap = orientation_swaps_sides(orientation);
  int out_w, out_h;
  fit(swap ? src.height : src.width, swap ? src.width : src.height, box, &out_w, &out_h);
  int stored_w = swap ? out_h : out_w, stored_h = swap ? out_w : out_h;
  if (stored_w == src.width && stored_h == src.height) {
    thumb = src; /* already small enough: re-encoded as PNG only */
  } else {
    int resized = image_resize(&src, stored_w, stored_h, &thumb);
    image_free(&src);
    if (!resized) return snprintf(reason, reason_size, "out of memory while resizing"), 0;
  }
  if (orientation != 1) {
    image turned;
    int ok = image_orient(&thumb, orientation, &turned);
    image_free(&thumb);
    if (!ok) return snprintf(reason, reason_size, "out of memory while turning the image upright"), 0;
    thumb = turned;
  }
  out->png = image_encode_png(&thumb, &out->len);
  out->width = thumb.width, out->height = thumb.height;
  image_free(&thumb);
  if (!out->png) return snprintf(reason, reason_size, "out of memory while encoding the PNG"), 0;
  return 1;
}

/* A failure the same message would meet again: dead-letter it now, its key in the reason. */
static wasmlet_message_result give_up(const char *key, const char *why) {
  char reason[1400];
  snprintf(reason, sizeof reason, "%s: %s", key, why);
  wasmlet_log(WASMLET_WARN, reason);
  return wasmlet_message_fail(reason);
}

/* A failure of the host's (a disk, a lock): try again with the trigger's backoff. Refusals of the
 * grant and bad keys will not go away by waiting: those are given up. */
static wasmlet_message_result after_error(const char *key, wasmlet_objects_error *err) {
  wasmlet_objects_error_code code = err->code;
  char why[512];
  snprintf(why, sizeof why, "%s (%s)", err->message, wasmlet_objects_error_name(code));
  wasmlet_objects_error_free(err);
  if (code == WASMLET_OBJECTS_DENIED || code == WASMLET_OBJECTS_INVALID_KEY || code == WASMLET_OBJECTS_NO_SUCH_BUCKET) return give_up(key, why);
  wasmlet_log(WASMLET_ERROR, why);
  return wasmlet_message_retry();
}

static wasmlet_message_result on_upload(wasmlet_str queue, const wasmlet_message *msg) {
  (void)queue;
  wasmlet_object_event event;
  if (!wasmlet_object_event_of(msg, &event)) return wasmlet_message_fail("not an object event (this function consumes [[object_event]] only)");
  if (!event.created) return wasmlet_message_ok();
  char bucket[64], key[MAX_KEY_BYTES + 1], png_key[MAX_KEY_BYTES + 8], why[256];
  snprintf(bucket, sizeof bucket, "%.*s", (int)event.bucket.len, event.bucket.ptr);
  snprintf(key, sizeof key, "%.*s", (int)event.key.len, event.key.ptr);
  if (event.size > MAX_SOURCE_BYTES) {
    snprintf(why, sizeof why, "%" PRIu64 " bytes; images up to %u bytes are thumbnailed", event.size, MAX_SOURCE_BYTES);
    return give_up(key, why);
  }

  wasmlet_object upload;
  wasmlet_objects_error err;
  int found = wasmlet_object_get(bucket, key, &upload, &err);
  if (found < 0) return after_error(key, &err);
  if (found == 0) return wasmlet_message_ok(); /* deleted since it was uploaded: nothing to do */
  thumbnail thumb;
  int rendered = render_thumbnail(upload.body, upload.body_len, BOX_PX, &thumb, why, sizeof why);
  wasmlet_object_free(&upload);
  if (!rendered) return give_up(key, why);

  if (!thumbnail_key(key, strlen(key), png_key, sizeof png_key)) {
    free(thumb.png);
    return give_up(key, "the thumbnail's key would be too long");
  }
  int stored = wasmlet_object_put("thumbnails", png_key, thumb.png, thumb.len, "image/png", NULL, &err);
  free(thumb.png);
  if (stored < 0) return after_error(key, &err);
  char done[2200];
  snprintf(done, sizeof done, "%s/%s -> thumbnails/%s (%dx%d)", bucket, key, png_key, thumb.width, thumb.height);
  wasmlet_log(WASMLET_INFO, done);
  return wasmlet_message_ok();
}
WASMLET_QUEUE_HANDLER(on_upload);
