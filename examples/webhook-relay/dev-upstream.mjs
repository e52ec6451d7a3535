// A stand-in for the chat's incoming webhook, for trying the relay locally and for http.test.js:
// records each POSTed JSON message and answers with a chosen status.
//   node examples/webhook-relay/dev-upstream.mjs [port]      (default 8787; prints what it receives)
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * @param {{ port?: number, status?: number }} [options] port 0 picks a free one
 * @returns {Promise<{ url: string, port: number, received: { path: string, headers: object, json: unknown }[], status: number, close(): Promise<void> }>}
 *   set `status` to change what later requests are answered with
 */
export async function startUpstream({ port = 0, status = 200 } = {}) {
  const upstream = { received: [], status };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      upstream.received.push({ path: req.url, headers: req.headers, json });
      res.writeHead(upstream.status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  upstream.port = server.address().port;
  upstream.url = `http://127.0.0.1:${upstream.port}`;
  upstream.close = () => new Promise((resolve) => server.close(() => resolve()));
  return upstream;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const upstream = await startUpstream({ port: Number(process.argv[2] ?? 8787) });
  console.log(`chat stand-in on ${upstream.url}: POST a JSON message to any path`);
  const seen = upstream.received.push.bind(upstream.received);
  upstream.received.push = (entry) => {
    console.log(`${entry.path} ${JSON.stringify(entry.json)}`);
    return seen(entry);
  };
}
