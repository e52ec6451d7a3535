// Baseline server: the same greeting as the examples, from bare node:http (the floor for HTTP overhead).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BaselineServer } from './baseline-server.js';

export function startNodeHttpHello(host: string): Promise<BaselineServer> {
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://baseline').searchParams.get('name') ?? 'world';
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`Hello, ${name}, from node:http!\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${port}/hello?name=bench`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
