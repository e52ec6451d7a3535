// A standard wasi:http/proxy component, built with StarlingMonkey (`wasmlet build`, or
// toolchains/js/build.sh): the `fetch` event listener becomes the export
// `wasi:http/incoming-handler@0.2.10`, and `fetch()` the import `wasi:http/outgoing-handler`.
// Nothing here is wasmlet's: the same component runs on `wasmtime serve -Scli` or Spin.
//
//   GET  /http-proxy-js/               a short text
//   POST /http-proxy-js/               the request body, echoed with its content-type
//   GET  /http-proxy-js/fetch?url=U    fetches U; relays its status, content-type and body
//   anything else                      404

/** The routes, as a prefix: the component sees the full path the client asked for. */
const BASE = '/http-proxy-js';

addEventListener('fetch', (event) => event.respondWith(route(event.request)));

async function route(request) {
  const url = new URL(request.url);
  const path = url.pathname.replace(/\/+$/, '');
  if (path === BASE && request.method === 'GET') {
    return text(200, 'Hello from a wasi:http component (JavaScript, StarlingMonkey)!\n');
  }
  if (path === BASE && request.method === 'POST') {
    const body = await request.arrayBuffer();
    return new Response(body, { headers: { 'content-type': request.headers.get('content-type') ?? 'application/octet-stream' } });
  }
  if (path === `${BASE}/fetch` && request.method === 'GET') return relay(url.searchParams.get('url'));
  return text(404, `no route for ${request.method} ${url.pathname}\n`);
}

/** The upstream's status, content-type and body; a URL the host refuses is a 502 saying why. */
async function relay(target) {
  if (!target) return text(400, 'missing ?url=\n');
  let upstream;
  try {
    upstream = await fetch(target);
  } catch (err) {
    return text(502, `fetch ${target} failed: ${err.message}\n`);
  }
  const headers = { 'x-upstream-status': String(upstream.status) };
  const type = upstream.headers.get('content-type');
  if (type) headers['content-type'] = type;
  return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers });
}

function text(status, body) {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
