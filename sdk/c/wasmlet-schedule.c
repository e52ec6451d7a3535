/* Canonical-ABI glue for wasmlet:function/schedule-handler@0.1.0 (layout in sdk/wit/README.md).
 * The export itself is defined by WASMLET_SCHEDULE_HANDLER in the user's code, so a function
 * without it has no schedule export; the linker drops this file's code. */
#include "wasmlet.h"

#include "wasmlet-memory.h"

/* result<_, string>: tag u8 @0 (0 ok, 1 err); err: message ptr @4, len @8. One area is enough:
 * a wasm instance is single-threaded and the host calls post-return before the next call. */
static _Alignas(4) uint8_t ret_area[12];

uint8_t *wasmlet_schedule_export(char *name, size_t name_len, uint64_t scheduled_at,
                                 wasmlet_schedule_handler on_event) {
  wasmlet_schedule_event event = {{name, name_len}, scheduled_at};
  const char *error = on_event(&event);
  memset(ret_area, 0, sizeof ret_area);
  if (error) {
    /* Copied before the name is freed: the message may point into it. */
    size_t len = strlen(error);
    ret_area[0] = 1;
    *(char **)(ret_area + 4) = wasmlet_copy_text(error, len);
    *(size_t *)(ret_area + 8) = len;
  }
  wasmlet_free_arg(name, name_len); /* the callee owns its arguments */
  return ret_area;
}

void wasmlet_schedule_post_return(uint8_t *ret) {
  if (ret[0] == 1) free(*(char **)(ret + 4));
}
