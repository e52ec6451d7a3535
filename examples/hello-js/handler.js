// GET /hello/js?name=ada -> "Hello, ada, from JavaScript!"
// A direct invocation arrives as POST with a JSON body such as {"name":"ada"}.
import { text, queryParams, bodyJson, log } from 'wasmlet';

export function handle(request) {
  const fromBody = request.method === 'POST' ? bodyJson(request, {}).name : undefined;
  const name = queryParams(request).get('name') ?? (typeof fromBody === 'string' ? fromBody : 'world');
  log.info(`greeted ${name}`);
  return text(200, `Hello, ${name}, from JavaScript!\n`);
}
