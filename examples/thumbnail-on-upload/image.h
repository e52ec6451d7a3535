/* The image pipeline of the thumbnail function: probe, decode, resize, encode.
 * Only image.c sees stb; everything else speaks these few calls. */
#ifndef THUMBNAIL_IMAGE_H
#define THUMBNAIL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

typedef enum { IMAGE_UNKNOWN = 0, IMAGE_PNG, IMAGE_JPEG } image_format;

/* 8-bit pixels, `channels` (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA) interleaved, rows packed. */
typedef struct {
  int width, height, channels;
  unsigned char *pixels;
} image;

/* PNG or JPEG by magic bytes; the Content-Type header is not trusted. */
image_format image_sniff(const uint8_t *data, size_t len);
/* The size the file declares (PNG IHDR, JPEG SOFn), read without stb: stb refuses sizes over
 * 2^30 decoded bytes with a generic "unknown image type", which would hide a decompression bomb
 * behind "corrupt". Returns 1 when found. */
int image_declared_size(const uint8_t *data, size_t len, uint32_t *width, uint32_t *height);
/* Reads the header with stb: returns 1 and the size and channel count, 0 for a broken header. */
int image_probe(const uint8_t *data, size_t len, int *width, int *height, int *channels);
/* Decodes with the channel count image_probe reported; 0 on failure (see image_failure_reason). */
int image_decode(const uint8_t *data, size_t len, image *out);
/* Resamples `in` to width x height with the same channels (sRGB-aware, alpha-weighted). */
int image_resize(const image *in, int width, int height, image *out);
/* A PNG file in a malloc'd buffer (*out_len bytes), NULL on out-of-memory. */
unsigned char *image_encode_png(const image *in, size_t *out_len);
void image_free(image *img);
/* stb's short reason for the last decode failure, e.g. "outofmem" or "bad huffman code". */
const char *image_failure_reason(void);

#endif
