/* A minimal test harness: TEST(name) registers a case, CHECK(cond) records a failure and goes on.
 * Each case runs in its own child process, so a crash or a sanitizer abort fails that case only.
 * main() runs every case and ends with the line "N passed, N failed". POSIX (fork) only. */
#ifndef WASMLET_TEST_HARNESS_H
#define WASMLET_TEST_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  const char *name;
  void (*run)(void);
} test_case;

#define MAX_TESTS 128
static test_case tests[MAX_TESTS];
static int test_count, current_failed;
/* A child's exit status for "a CHECK failed"; anything else non-zero is a crash. */
#define CHECK_FAILED_EXIT 3

#define TEST(name)                                                               \
  static void name(void);                                                        \
  __attribute__((constructor)) static void register_##name(void) {               \
    if (test_count < MAX_TESTS) tests[test_count++] = (test_case){#name, name}; \
  }                                                                              \
  static void name(void)

static void check_at(int ok, const char *what, const char *file, int line) {
  if (ok) return;
  if (!current_failed) printf("\n");
  printf("    %s:%d: CHECK(%s) failed\n", file, line, what);
  current_failed = 1;
}
#define CHECK(cond) check_at((cond) != 0, #cond, __FILE__, __LINE__)

/* Compares a (ptr, len) byte string with a C string. */
static int bytes_eq(const void *ptr, size_t len, const char *expected) {
  return len == strlen(expected) && (len == 0 || memcmp(ptr, expected, len) == 0);
}

static int run_tests(const char *suite) {
  int passed = 0, failed = 0;
  for (int i = 0; i < test_count; i++) {
    printf("%s: %s", suite, tests[i].name);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      tests[i].run();
      fflush(stdout);
      exit(current_failed ? CHECK_FAILED_EXIT : 0); /* exit, not _exit: LeakSanitizer checks at exit */
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) < 0) status = -1;
    if (child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      printf("  ok\n");
      passed++;
    } else if (child > 0 && WIFEXITED(status) && WEXITSTATUS(status) == CHECK_FAILED_EXIT) {
      printf("  FAILED %s\n", tests[i].name);
      failed++;
    } else {
      printf("\n  FAILED %s (crashed: %s %d)\n", tests[i].name, child > 0 && WIFSIGNALED(status) ? "signal" : "exit",
             child > 0 && WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
      failed++;
    }
    fflush(stdout);
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

#endif
