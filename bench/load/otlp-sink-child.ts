// The bench's OTLP/HTTP receiver, in a process of its own (as a collector would be): parses every
// `POST /v1/traces` (JSON) and counts spans. On any message from its parent it answers with its
// counts and CPU time, then exits. Started by otlp-sink.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OtlpSinkReport } from './otlp-sink.js';

let exports = 0;
let spans = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    exports++;
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: Array<{ scopeSpans: Array<{ spans?: unknown[] }> }> };
    for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) spans += scope.spans?.length ?? 0;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
process.on('message', () => {
  const cpu = process.cpuUsage();
  process.send!({ exports, spans, cpuMicros: cpu.user + cpu.system } satisfies OtlpSinkReport, () => process.exit(0));
});
