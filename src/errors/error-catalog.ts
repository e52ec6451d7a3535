// Every error a client can see: a stable code, its HTTP status and a default message.
// Codes are part of the public contract (admin API, HTTP trigger, CLI --json); never rename one.

export const errorCatalog = {
  bad_request: { status: 400, message: 'The request is malformed.' },
  unauthorized: { status: 401, message: 'A valid bearer token is required.' },
  bundle_invalid: { status: 400, message: 'The bundle is not a readable zip archive.' },
  bundle_unsafe: { status: 400, message: 'The bundle contains an unsafe entry.' },
  bundle_too_large: { status: 413, message: 'The bundle exceeds an unpacking limit.' },
  manifest_missing: { status: 400, message: 'The bundle has no wasmlet.toml at its root.' },
  manifest_invalid: { status: 400, message: 'wasmlet.toml is invalid.' },
  component_missing: { status: 400, message: 'The component named by the manifest is not in the bundle.' },
  component_invalid: { status: 400, message: 'The file is not a WebAssembly component.' },
  component_world_mismatch: { status: 400, message: 'The component does not export a wasmlet world.' },
  component_import_denied: { status: 400, message: 'The component imports something the host does not grant.' },
  component_limit_exceeded: { status: 400, message: 'The component needs more than its limits allow.' },
  snapshot_refused: { status: 400, message: 'The function\'s initialisation cannot be snapshotted (`init_snapshot`).' },
  route_conflict: { status: 409, message: 'Another function already serves this route.' },
  queue_conflict: { status: 409, message: 'Another function already consumes this queue.' },
  handler_missing: { status: 400, message: 'The function has no handler for this kind of invocation.' },
  invocation_not_found: { status: 404, message: 'No such async invocation (records are kept for 24 hours).' },
  function_not_found: { status: 404, message: 'No such function.' },
  no_previous_version: { status: 409, message: 'The function has no previous version to roll back to.' },
  route_not_found: { status: 404, message: 'No function serves this route.' },
  method_not_allowed: { status: 405, message: 'The route does not accept this method.' },
  body_too_large: { status: 413, message: 'The request body exceeds the function limit.' },
  guest_error: { status: 500, message: 'The function returned an error.' },
  guest_trap: { status: 502, message: 'The function trapped.' },
  response_invalid: { status: 502, message: 'The function returned an invalid response.' },
  response_too_large: { status: 502, message: 'The function response exceeds the host limit.' },
  overloaded: { status: 503, message: 'The function is at capacity; retry later.' },
  timeout: { status: 504, message: 'The function exceeded its deadline.' },
  internal: { status: 500, message: 'Internal error.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;
