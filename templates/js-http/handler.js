// GET /{{name}}?name=ada -> "Hello, ada, from JavaScript!"; POST /{{name}} echoes the body.
// A standard wasi:http guest: the `fetch` event listener becomes the component's export
// wasi:http/incoming-handler, and fetch() (to a host in allowed_outbound_hosts) its import
// wasi:http/outgoing-handler.
import { greeting } from './greeting.js';

addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(request) {
  if (request.method === 'POST') {
    return new Response(await request.arrayBuffer(), {
      headers: { 'content-type': request.headers.get('content-type') ?? 'application/octet-stream' },
    });
  }
  const name = new URL(request.url).searchParams.get('name');
  // An exception here (or a rejected promise) is answered 500 by the engine and logged on stderr.
  return new Response(greeting(name), { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
