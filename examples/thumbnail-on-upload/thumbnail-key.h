/* Where an upload's thumbnail goes: the same key with the extension ".png". */
#ifndef THUMBNAIL_KEY_H
#define THUMBNAIL_KEY_H

#include <stddef.h>

/* "2026/cat.jpg" -> "2026/cat.png", "2026/cat" -> "2026/cat.png", "a.b/cat" -> "a.b/cat.png",
 * ".profile" -> ".profile.png" (a leading dot names a file, it is no extension). Writes a C string
 * into `out`; returns 0 when it does not fit in `out_size` bytes. */
int thumbnail_key(const char *key, size_t key_len, char *out, size_t out_size);

#endif
