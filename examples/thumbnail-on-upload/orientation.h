/* EXIF orientation: phones store photos as the sensor saw them and record how to turn them for
 * display (tag 0x0112). stb ignores it, so without this a portrait photo's thumbnail lies on its side. */
#ifndef THUMBNAIL_ORIENTATION_H
#define THUMBNAIL_ORIENTATION_H

#include <stddef.h>
#include <stdint.h>

#include "image.h"

/* The orientation (1..8; 1 = as stored) a JPEG's Exif APP1 segment records; 1 when there is none
 * or it is malformed. Only the header segments are read, never the scan data. */
int jpeg_exif_orientation(const uint8_t *data, size_t len);
/* Orientations 5..8 turn the image a quarter: its displayed width is its stored height. */
int orientation_swaps_sides(int orientation);
/* `in` turned for display into a new image; 0 on out-of-memory. */
int image_orient(const image *in, int orientation, image *out);

#endif
