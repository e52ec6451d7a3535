/* Native tests of the schedule glue (sdk/c/wasmlet-schedule.c), run by run.sh. The result is read
 * at its wasm32 offsets, so the cases run only in the 32-bit build. */
#define _POSIX_C_SOURCE 200809L /* fork and waitpid, for the harness */
#include "../wasmlet-schedule.c"

#include "harness.h"
#include "host-args.h"

static struct {
  char name[32];
  uint64_t scheduled_at;
  int calls;
} seen;

/* Fails the schedule named "failing"; every other one succeeds. */
static const char *on_event(const wasmlet_schedule_event *event) {
  snprintf(seen.name, sizeof seen.name, "%.*s", (int)event->name.len, event->name.ptr);
  seen.scheduled_at = event->scheduled_at;
  seen.calls++;
  static char error[64];
  if (strcmp(seen.name, "failing") != 0) return NULL;
  snprintf(error, sizeof error, "%s schedule", seen.name); /* a static buffer: the SDK copies it */
  return error;
}

/* The macro's export, as the host calls it (natively the export attribute is nothing). */
WASMLET_SCHEDULE_HANDLER(on_event);

TEST(event_reaches_the_handler) {
  /* A u64 past 2^32 and 2^53: no truncation anywhere between the export and the handler. */
  uint8_t *ret = wasmlet_export_schedule_handle(host_string("nightly"), 7, 0x0123456789abcdefull);
  CHECK(seen.calls == 1 && strcmp(seen.name, "nightly") == 0);
  CHECK(seen.scheduled_at == 0x0123456789abcdefull);
  wasmlet_post_schedule_handle(ret);
}

#if ABI32
TEST(abi_null_is_ok) {
  uint8_t *ret = wasmlet_export_schedule_handle(host_string("nightly"), 7, 1);
  CHECK(ret[0] == 0);
  wasmlet_post_schedule_handle(ret);
}

TEST(abi_a_message_is_err) {
  uint8_t *ret = wasmlet_export_schedule_handle(host_string("failing"), 7, 1);
  CHECK(ret[0] == 1);
  CHECK(bytes_eq(*(char **)(ret + 4), *(uint32_t *)(ret + 8), "failing schedule"));
  wasmlet_post_schedule_handle(ret); /* frees the copy (LeakSanitizer checks) */
}

TEST(abi_an_empty_name_is_not_freed) {
  uint8_t *ret = wasmlet_export_schedule_handle(host_string(""), 0, 0);
  CHECK(ret[0] == 0 && seen.name[0] == '\0' && seen.scheduled_at == 0);
  wasmlet_post_schedule_handle(ret);
}
#endif

int main(void) { return run_tests(ABI32 ? "32-bit schedule" : "native schedule"); }
