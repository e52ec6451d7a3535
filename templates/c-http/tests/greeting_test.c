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

static void expect_param(const char *query, const char *key, int want_found, const char *want) {
  char out[64] = "unset";
  int found = query_param(query, strlen(query), key, out, sizeof out);
  if (found != want_found || strcmp(out, want) != 0) {
    fprintf(stderr, "FAIL query_param(\"%s\", \"%s\"): got %d \"%s\", want %d \"%s\"\n", query, key, found, out, want_found, want);
    failures++;
  }
}

int main(void) {
  expect("ada", 256, "Hello, ada, from C over wasi:http!\n");
  expect("", 256, "Hello, world, from C over wasi:http!\n");
  expect(NULL, 256, "Hello, world, from C over wasi:http!\n");
  expect("ada", 10, "Hello, ad"); /* truncated, still NUL-terminated */
  expect_param("name=ada", "name", 1, "ada");
  expect_param("x=1&name=J%C3%BCrgen+B&y", "name", 1, "J\xc3\xbcrgen B");
  expect_param("names=ada", "name", 0, "unset");
  expect_param("name", "name", 1, "");
  if (failures == 0) printf("ok: greeting, query_param\n");
  return failures == 0 ? 0 : 1;
}
