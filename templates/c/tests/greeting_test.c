/* Unit tests of greeting.c, run natively by test.sh. */
#include <stdio.h>
#include <string.h>

#include "greeting.h"

static int failures = 0;

static void expect(const char *name, size_t out_size, const char *want) {
  char out[256];
  size_t len = greeting(name, out, out_size);
  if (strcmp(out, want) != 0 || len != strlen(want)) {
    fprintf(stderr, "FAIL greeting(%s%s%s, %zu): got \"%s\" (%zu), want \"%s\"\n", name ? "\"" : "", name ? name : "NULL", name ? "\"" : "",
            out_size, out, len, want);
    failures++;
  }
}

int main(void) {
  expect("ada", 256, "Hello, ada, from C!\n");
  expect("", 256, "Hello, world, from C!\n");
  expect(NULL, 256, "Hello, world, from C!\n");
  expect("ada", 10, "Hello, ad"); /* truncated, still NUL-terminated */
  if (failures == 0) printf("ok: greeting\n");
  return failures == 0 ? 0 : 1;
}
