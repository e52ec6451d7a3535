/* Schedule triggers (`[[schedule]]` in wasmlet.toml, cron or rate), delivered at least once.
 * Included by wasmlet.h. A function runs on schedules only when it says so:
 *
 *   static const char *on_tick(const wasmlet_schedule_event *event) {
 *     if (!cleanup()) return "cleanup failed";   // an error: retried with the schedule's backoff
 *     return NULL;                                // done
 *   }
 *   WASMLET_SCHEDULE_HANDLER(on_tick);
 *
 * The returned message is copied by the SDK, so a static buffer will do. The macro defines the
 * component's `wasmlet:function/schedule-handler@0.1.0#handle` export; without it the component
 * has none, and the host refuses a manifest with `[[schedule]]` triggers. */
#ifndef WASMLET_SCHEDULE_H
#define WASMLET_SCHEDULE_H

#include "wasmlet.h"

typedef struct {
  wasmlet_str name;      /* the schedule's name in the manifest (a view, valid during the call) */
  uint64_t scheduled_at; /* the tick this event is for (not when it runs), ms since the Unix epoch */
} wasmlet_schedule_event;

typedef const char *(*wasmlet_schedule_handler)(const wasmlet_schedule_event *event);

#define WASMLET_SCHEDULE_HANDLER(on_event)                                                       \
  WASMLET_EXPORT_AS("wasmlet:function/schedule-handler@0.1.0#handle")                            \
  uint8_t *wasmlet_export_schedule_handle(char *name, size_t name_len, uint64_t scheduled_at) {   \
    return wasmlet_schedule_export(name, name_len, scheduled_at, on_event);                       \
  }                                                                                               \
  WASMLET_EXPORT_AS("cabi_post_wasmlet:function/schedule-handler@0.1.0#handle")                  \
  void wasmlet_post_schedule_handle(uint8_t *ret) { wasmlet_schedule_post_return(ret); }          \
  uint8_t *wasmlet_export_schedule_handle(char *name, size_t name_len, uint64_t scheduled_at)

/* ---- glue the macro expands to (sdk/c/wasmlet-schedule.c); not for direct use ------------------- */
uint8_t *wasmlet_schedule_export(char *name, size_t name_len, uint64_t scheduled_at,
                                 wasmlet_schedule_handler on_event);
void wasmlet_schedule_post_return(uint8_t *ret);

#endif
