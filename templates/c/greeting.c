#include "greeting.h"

#include <stdio.h>
#include <string.h>

size_t greeting(const char *name, char *out, size_t out_size) {
  if (out_size == 0) return 0;
  if (name == NULL || name[0] == '\0') name = "world";
  snprintf(out, out_size, "Hello, %s, from C!\n", name);
  return strlen(out);
}
