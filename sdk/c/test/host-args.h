/* Test helpers that pass arguments the way wasmlet's host does (sdk/wit/README.md): every
 * non-empty string or list is a fresh exact-size allocation the callee must free, and an empty
 * one is never allocated (its pointer is the alignment). Under AddressSanitizer an over-read, a
 * double free or a free of an empty argument fails the test; LeakSanitizer catches what the glue
 * forgot to free. */
#ifndef WASMLET_TEST_HOST_ARGS_H
#define WASMLET_TEST_HOST_ARGS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if UINTPTR_MAX == 0xffffffffu
#define ABI32 1 /* pointers and size_t are 4 bytes, as on wasm32 */
#else
#define ABI32 0
#endif

/* The bytes of `s` (without a NUL) as the host passes a string. */
static inline char *host_string(const char *s) {
  size_t len = strlen(s);
  return len ? memcpy(malloc(len), s, len) : (char *)1;
}

/* An array of `count` elements of `size` bytes as the host passes a list (pointer = `align` when empty). */
static inline void *host_list(size_t count, size_t size, size_t align) {
  return count ? calloc(count, size) : (void *)align;
}

#endif
