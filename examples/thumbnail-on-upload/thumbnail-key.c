#include "thumbnail-key.h"

#include <string.h>

int thumbnail_key(const char *key, size_t key_len, char *out, size_t out_size) {
  /* The extension is what follows the last dot of the last path segment, unless that dot starts it. */
  size_t segment = 0, dot = key_len;
  for (size_t i = 0; i < key_len; i++) {
    if (key[i] == '/') segment = i + 1, dot = key_len;
    else if (key[i] == '.' && i > segment) dot = i;
  }
  static const char png[] = ".png";
  if (dot + sizeof png > out_size) return 0;
  memcpy(out, key, dot);
  memcpy(out + dot, png, sizeof png);
  return 1;
}
