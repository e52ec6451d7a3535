/* The function's logic, apart from the wasi:http bindings so that test.sh can test it natively. */
#ifndef GREETING_H
#define GREETING_H

#include <stddef.h>

/* Writes "Hello, <name>, from C over wasi:http!\n" into out (NUL-terminated, truncated to
 * out_size - 1); a NULL or empty name greets the world. Returns strlen(out). */
size_t greeting(const char *name, char *out, size_t out_size);

/* The value of `key` in a query string ("a=1&name=ada"), "+" and %XX decoded, NUL-terminated and
 * truncated to out_size - 1. Returns 1 when the key is present, else 0 (out untouched). */
int query_param(const char *query, size_t query_len, const char *key, char *out, size_t out_size);

#endif
