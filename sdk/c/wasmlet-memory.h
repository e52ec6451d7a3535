/* Allocation helpers shared by the C SDK's glue files (not part of the public API).
 *
 * The canonical ABI passes every string and list as (ptr, len). The host allocates a non-empty
 * argument with our cabi_realloc and hands it over (the callee owns its arguments); an empty one
 * is never allocated and its pointer is just the alignment (e.g. 1), so it must not reach free(). */
#ifndef WASMLET_MEMORY_H
#define WASMLET_MEMORY_H

#include <stdlib.h>
#include <string.h>

#include "wasmlet.h"

/* realloc that traps the instance when memory runs out (the host reports a trap). */
static inline void *wasmlet_checked_realloc(void *old, size_t size) {
  void *p = realloc(old, size);
  if (!p) abort();
  return p;
}

/* A heap copy of `len` bytes plus a NUL (so a copied message is also a C string). */
static inline char *wasmlet_copy_text(const char *s, size_t len) {
  char *out = wasmlet_checked_realloc(NULL, len + 1);
  if (len) memcpy(out, s, len);
  out[len] = '\0';
  return out;
}

/* Frees an argument the host allocated; an empty one was never allocated. */
static inline void wasmlet_free_arg(const void *ptr, size_t len) {
  if (len) free((void *)ptr);
}

/* Frees a host-allocated list<tuple<string, string>> and every string in it. */
static inline void wasmlet_free_pairs(const wasmlet_header *pairs, size_t len) {
  for (size_t i = 0; i < len; i++) {
    wasmlet_free_arg(pairs[i].name.ptr, pairs[i].name.len);
    wasmlet_free_arg(pairs[i].value.ptr, pairs[i].value.len);
  }
  wasmlet_free_arg(pairs, len);
}

#endif
