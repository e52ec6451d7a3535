/* GET /<route>?name=ada -> "Hello, ada, from C!" */
#include "greeting.h"
#include "wasmlet.h"

int wasmlet_handle(const wasmlet_request *req, wasmlet_response *res) {
  char name[128] = "";
  wasmlet_query_param(req, "name", name, sizeof name);
  char text[256];
  greeting(name, text, sizeof text);
  wasmlet_log(WASMLET_INFO, "greeted someone");
  wasmlet_response_header(res, "content-type", "text/plain; charset=utf-8");
  wasmlet_response_write_str(res, text);
  return 0; /* non-zero after wasmlet_response_error(res, "why") is a guest error: 500 */
}
