#include "greeting.h"

#include <stdio.h>
#include <string.h>

size_t greeting(const char *name, char *out, size_t out_size) {
  if (out_size == 0) return 0;
  if (name == NULL || name[0] == '\0') name = "world";
  snprintf(out, out_size, "Hello, %s, from C over wasi:http!\n", name);
  return strlen(out);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int query_param(const char *q, size_t query_len, const char *key, char *out, size_t out_size) {
  const char *end = q + query_len;
  size_t key_len = strlen(key);
  while (q < end) {
    const char *amp = memchr(q, '&', (size_t)(end - q));
    const char *pair_end = amp ? amp : end;
    const char *eq = memchr(q, '=', (size_t)(pair_end - q));
    const char *name_end = eq ? eq : pair_end;
    if ((size_t)(name_end - q) == key_len && memcmp(q, key, key_len) == 0) {
      size_t n = 0;
      for (const char *v = eq ? eq + 1 : pair_end; v < pair_end && n + 1 < out_size; v++) {
        if (*v == '+') {
          out[n++] = ' ';
        } else if (*v == '%' && v + 2 < pair_end && hex_value(v[1]) >= 0 && hex_value(v[2]) >= 0) {
          out[n++] = (char)(hex_value(v[1]) * 16 + hex_value(v[2]));
          v += 2;
        } else {
          out[n++] = *v;
        }
      }
      if (out_size) out[n] = '\0';
      return 1;
    }
    q = pair_end + 1;
  }
  return 0;
}
