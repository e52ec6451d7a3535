/* The C probe: every trigger, behaving exactly like the other languages' probes, so one
 * end-to-end script checks them all (the rules are in the comments below).
 * test/fixtures/queue-probe builds this same file as a committed fixture. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmlet.h"

/* Where the queue and schedule handlers report what they saw; the manifest's `publish`. */
static const char report_queue[] = "probe-out";

/* Sends `text` to the report queue; 0 when sent, else the reason in `reason`. */
static int report(const char *text, const wasmlet_attribute *attributes, size_t attributes_len, char *reason,
                  size_t reason_size) {
  wasmlet_outgoing_message message = {text, strlen(text), attributes, attributes_len, 0};
  return wasmlet_send(report_queue, &message, reason, reason_size);
}

#ifdef PROBE_OUTBOUND
/* `?outbound=<url>`: GETs the URL with ("x-probe", "c") and answers 200 "status=<status>
 * body=<body>", or 502 "error=<code> <message>" when there is no response. Only built with
 * -DPROBE_OUTBOUND (this folder's build.flags): the queue-probe fixture includes this file, and
 * with this code it would import outbound-http and need a grant in its manifest. */
static int probe_outbound(const wasmlet_request *req, wasmlet_response *res) {
  char url[2048], head[64];
  if (!wasmlet_query_param(req, "outbound", url, sizeof url)) return 0;
  wasmlet_header probe = {WASMLET_STR("x-probe"), WASMLET_STR("c")};
  wasmlet_http_request request = {.method = "GET", .url = url, .headers = &probe, .headers_len = 1};
  wasmlet_http_response upstream;
  wasmlet_http_error err;
  if (wasmlet_http_send(&request, &upstream, &err) != 0) {
    wasmlet_response_status(res, 502);
    wasmlet_response_write_str(res, "error=");
    wasmlet_response_write_str(res, wasmlet_http_error_name(err.code));
    wasmlet_response_write_str(res, " ");
    wasmlet_response_write_str(res, err.message);
    wasmlet_http_error_free(&err);
    return 1;
  }
  snprintf(head, sizeof head, "status=%u body=", (unsigned)upstream.status);
  wasmlet_response_write_str(res, head);
  wasmlet_response_write(res, upstream.body, upstream.body_len);
  wasmlet_http_response_free(&upstream);
  return 1;
}
#endif

/* HTTP: `?send=<queue>` sends the body there with ("from", "http") and answers 202 with the new
 * id (400 with the reason when the host refuses); else `?outbound=<url>` (above); anything else
 * answers 200 "probe c". */
int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res) {
  char queue[256], result[1024];
  if (!wasmlet_query_param(req, "send", queue, sizeof queue)) {
#ifdef PROBE_OUTBOUND
    if (probe_outbound(req, res)) return 0;
#endif
    wasmlet_response_write_str(res, "probe c");
    return 0;
  }
  wasmlet_attribute from = {WASMLET_STR("from"), WASMLET_STR("http")};
  wasmlet_outgoing_message message = {req->body, req->body_len, &from, 1, 0};
  int failed = wasmlet_send(queue, &message, result, sizeof result);
  wasmlet_response_status(res, failed ? 400 : 202);
  wasmlet_response_write_str(res, result);
  return 0;
}

/* 1 when the message body is exactly `text`. */
static int body_is(const wasmlet_message *m, const char *text) {
  size_t len = strlen(text);
  return m->body_len == len && memcmp(m->body, text, len) == 0;
}

/* The text after `prefix` when the body starts with it, as a new C string (NULL otherwise). */
static char *body_after(const wasmlet_message *m, const char *prefix) {
  size_t len = strlen(prefix);
  if (m->body_len < len || memcmp(m->body, prefix, len) != 0) return NULL;
  char *rest = malloc(m->body_len - len + 1);
  if (!rest) abort();
  memcpy(rest, m->body + len, m->body_len - len);
  rest[m->body_len - len] = '\0';
  return rest;
}

/* The ok rule: reports "<queue> <id> <attempt> <body>" with ("enqueued-at", <ms>), then ok. */
static wasmlet_message_result report_message(wasmlet_str queue, const wasmlet_message *m) {
  size_t size = queue.len + m->id.len + m->body_len + 16;
  char *text = malloc(size);
  if (!text) abort();
  snprintf(text, size, "%.*s %.*s %" PRIu32 " %.*s", (int)queue.len, queue.ptr, (int)m->id.len, m->id.ptr,
           m->attempt, (int)m->body_len, (const char *)m->body);
  char enqueued_at[24], reason[512];
  snprintf(enqueued_at, sizeof enqueued_at, "%" PRIu64, m->enqueued_at);
  wasmlet_attribute attribute = {WASMLET_STR("enqueued-at"), {enqueued_at, strlen(enqueued_at)}};
  int failed = report(text, &attribute, 1, reason, sizeof reason);
  free(text);
  return failed ? wasmlet_message_fail(reason) : wasmlet_message_ok();
}

/* One message's result by its body; the first matching rule wins. */
static wasmlet_message_result on_message(wasmlet_str queue, const wasmlet_message *m) {
  char *arg;
  wasmlet_message_result result;
  if ((arg = body_after(m, "fail:"))) {
    result = wasmlet_message_fail(arg);
  } else if (body_is(m, "retry")) {
    return wasmlet_message_retry();
  } else if ((arg = body_after(m, "retry:"))) {
    result = wasmlet_message_retry_after((uint32_t)strtoul(arg, NULL, 10));
  } else if ((arg = body_after(m, "retry-until:"))) {
    unsigned long until = strtoul(arg, NULL, 10);
    result = m->attempt < until ? wasmlet_message_retry_after(0) : report_message(queue, m);
  } else {
    return report_message(queue, m);
  }
  free(arg);
  return result;
}

/* Queue: `batch-error` anywhere fails the whole batch (err) and `trap` crashes the instance,
 * before any message is handled, so nothing is reported; otherwise one result per message. */
static const char *on_batch(wasmlet_str queue, const wasmlet_message *messages, size_t count,
                            wasmlet_message_result *results) {
  for (size_t i = 0; i < count; i++) {
    if (body_is(&messages[i], "batch-error")) return "batch-error requested";
    if (body_is(&messages[i], "trap")) __builtin_trap();
  }
  for (size_t i = 0; i < count; i++) results[i] = on_message(queue, &messages[i]);
  return NULL;
}
WASMLET_QUEUE_BATCH_HANDLER(on_batch);

/* Schedule: "failing" is an error; any other reports "schedule <name> <scheduledAt>". */
static const char *on_schedule(const wasmlet_schedule_event *event) {
  static char reason[512];
  if (event->name.len == 7 && memcmp(event->name.ptr, "failing", 7) == 0) return "failing schedule";
  char text[512];
  snprintf(text, sizeof text, "schedule %.*s %" PRIu64, (int)event->name.len, event->name.ptr, event->scheduled_at);
  return report(text, NULL, 0, reason, sizeof reason) ? reason : NULL;
}
WASMLET_SCHEDULE_HANDLER(on_schedule);
