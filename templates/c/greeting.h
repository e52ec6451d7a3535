/* The function's logic, apart from the SDK so that test.sh can test it natively. */
#ifndef GREETING_H
#define GREETING_H

#include <stddef.h>

/* Writes "Hello, <name>, from C!\n" into out (NUL-terminated, truncated to
 * out_size - 1); a NULL or empty name greets the world. Returns strlen(out). */
size_t greeting(const char *name, char *out, size_t out_size);

#endif
