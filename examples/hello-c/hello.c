/* GET /hello/c?name=ada -> "Hello, ada, from C!" */
#include <stdio.h>
#include <string.h>

#include "wasmlet.h"

/* Direct invocations arrive as POST with a JSON body such as {"name":"ada"}:
 * a tiny scan is enough for a greeting, no JSON library needed. */
static int name_from_json(const wasmlet_request *req, char *out, size_t out_size) {
  const char *body = (const char *)req->body, *key = "\"name\"";
  size_t key_len = strlen(key);
  for (size_t i = 0; i + key_len < req->body_len; i++) {
    if (memcmp(body + i, key, key_len) != 0) continue;
    size_t j = i + key_len;
    while (j < req->body_len && (body[j] == ' ' || body[j] == ':')) j++;
    if (j >= req->body_len || body[j] != '"') return 0;
    size_t n = 0;
    for (j++; j < req->body_len && body[j] != '"' && n + 1 < out_size; j++) out[n++] = body[j];
    out[n] = '\0';
    return 1;
  }
  return 0;
}

int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res) {
  char name[128] = "world";
  if (!wasmlet_query_param(req, "name", name, sizeof name)) name_from_json(req, name, sizeof name);
  char text[256];
  snprintf(text, sizeof text, "Hello, %s, from C!\n", name);
  wasmlet_log(WASMLET_INFO, "greeted someone");
  wasmlet_response_header(res, "content-type", "text/plain; charset=utf-8");
  wasmlet_response_write_str(res, text);
  return 0;
}
