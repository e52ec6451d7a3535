/* EXIF orientation, read from the JPEG header and applied to the (small) thumbnail. */
#include <stdlib.h>
#include <string.h>

#include "orientation.h"

#define EXIF_TAG_ORIENTATION 0x0112
#define TIFF_TYPE_SHORT 3

static uint32_t read16(const uint8_t *p, int little) { return little ? (uint32_t)(p[0] | p[1] << 8) : (uint32_t)(p[0] << 8 | p[1]); }
static uint32_t read32(const uint8_t *p, int little) {
  return little ? read16(p, 1) | read16(p + 2, 1) << 16 : read16(p, 0) << 16 | read16(p + 2, 0);
}

/* IFD0 of the TIFF structure inside an Exif segment (`tiff` is `len` bytes). */
static int tiff_orientation(const uint8_t *tiff, size_t len) {
  if (len < 8) return 1;
  int little;
  if (memcmp(tiff, "II*\0", 4) == 0) little = 1;
  else if (memcmp(tiff, "MM\0*", 4) == 0) little = 0;
  else return 1;
  uint32_t ifd = read32(tiff + 4, little);
  if (ifd > len - 2) return 1;
  uint32_t entries = read16(tiff + ifd, little);
  for (uint32_t i = 0; i < entries; i++) {
    size_t at = ifd + 2 + (size_t)i * 12;
    if (at + 12 > len) return 1;
    if (read16(tiff + at, little) != EXIF_TAG_ORIENTATION) continue;
    if (read16(tiff + at + 2, little) != TIFF_TYPE_SHORT || read32(tiff + at + 4, little) != 1) return 1;
    uint32_t value = read16(tiff + at + 8, little); /* a SHORT sits in the first half of the value field */
    return value >= 1 && value <= 8 ? (int)value : 1;
  }
  return 1;
}

int jpeg_exif_orientation(const uint8_t *data, size_t len) {
  if (len < 4 || data[0] != 0xff || data[1] != 0xd8) return 1;
  for (size_t i = 2; i + 4 <= len;) {
    if (data[i] != 0xff) return 1;
    uint8_t marker = data[i + 1];
    if (marker == 0xff) { /* fill byte */
      i++;
      continue;
    }
    if (marker == 0xda || marker == 0xd9) return 1; /* scan or end: the header is over */
    size_t seg = (size_t)data[i + 2] << 8 | data[i + 3];
    if (seg < 2 || i + 2 + seg > len) return 1;
    const uint8_t *body = data + i + 4;
    size_t body_len = seg - 2;
    if (marker == 0xe1 && body_len >= 6 && memcmp(body, "Exif\0\0", 6) == 0) return tiff_orientation(body + 6, body_len - 6);
    i += 2 + seg;
  }
  return 1;
}

int orientation_swaps_sides(int orientation) { return orientation >= 5 && orientation <= 8; }

int image_orient(const image *in, int orientation, image *out) {
  const int w = in->width, h = in->height, n = in->channels;
  const int ow = orientation_swaps_sides(orientation) ? h : w, oh = orientation_swaps_sides(orientation) ? w : h;
  unsigned char *pixels = malloc((size_t)w * (size_t)h * (size_t)n);
  if (!pixels) return 0;
  for (int y = 0; y < oh; y++) {
    for (int x = 0; x < ow; x++) {
      int sx, sy; /* the stored pixel shown at (x, y) */
      switch (orientation) {
      case 2: sx = w - 1 - x; sy = y; break;             /* mirrored */
      case 3: sx = w - 1 - x; sy = h - 1 - y; break;     /* turned 180 degrees */
      case 4: sx = x; sy = h - 1 - y; break;             /* mirrored upside down */
      case 5: sx = y; sy = x; break;                     /* transposed */
      case 6: sx = y; sy = h - 1 - x; break;             /* shown turned 90 degrees clockwise */
      case 7: sx = w - 1 - y; sy = h - 1 - x; break;     /* transversed */
      case 8: sx = w - 1 - y; sy = x; break;             /* shown turned 90 degrees anticlockwise */
      default: sx = x; sy = y; break;
      }
      memcpy(pixels + ((size_t)y * (size_t)ow + (size_t)x) * (size_t)n, in->pixels + ((size_t)sy * (size_t)w + (size_t)sx) * (size_t)n, (size_t)n);
    }
  }
  *out = (image){.width = ow, .height = oh, .channels = n, .pixels = pixels};
  return 1;
}
