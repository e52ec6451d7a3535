// Child-process entry of the bench's peer (peer-process.ts): an upstream on 127.0.0.1 for guests'
// outbound HTTP, and a load client for the host's routes. Out of the bench's process so that neither
// shares an event loop with the host under test (they still share the machine's cores).
// Upstream routes: GET /hello -> 200 "hi"; GET /wait?ms=N -> 200 "waited" after N ms.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { newCallRecord, timedCall, type CallRecord } from './call-record.js';
import type { PeerCommand, PeerReply, RoundRecord } from './peer-protocol.js';

/** A /wait without ?ms= waits this long: the slow upstream. */
const defaultWaitMs = 200;

const upstream = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://upstream');
  if (url.pathname === '/hello') return void res.end('hi');
  if (url.pathname === '/wait') return void setTimeout(() => res.end('waited'), Number(url.searchParams.get('ms') ?? defaultWaitMs));
  res.writeHead(404).end('no such route');
});
/** Keep-alive, no cap on connections per origin: `concurrency` calls get as many sockets. */
const client = new Agent({ connections: null });
/** The loops of a `start`, while they run. */
interface Loops {
  stopping: boolean;
  readonly startedAt: number;
  done: Promise<CallRecord>;
}
let loops: Loops | undefined;

const cpuMicros = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const reply = (message: PeerReply) => process.send?.(message);

process.on('message', (command: PeerCommand) => {
  handle(command).then(reply, (err: unknown) => reply({ kind: 'error', message: err instanceof Error ? err.message : String(err) }));
});
process.on('disconnect', () => {
  upstream.close();
  upstream.closeAllConnections();
  void client.destroy();
});
upstream.listen(0, '127.0.0.1', () => reply({ kind: 'ready', upstreamPort: (upstream.address() as AddressInfo).port }));

async function handle(command: PeerCommand): Promise<PeerReply> {
  switch (command.kind) {
    case 'rounds': {
      const rounds: RoundRecord[] = [];
      for (let i = 0; i < command.rounds; i++) {
        const record = newCallRecord();
        const started = performance.now();
        await Promise.all(Array.from({ length: command.concurrency }, () => timedCall(client, command.url, record)));
        rounds.push({ ...record, wallMs: performance.now() - started });
      }
      return { kind: 'rounds', rounds };
    }
    case 'start': {
      if (loops) throw new Error('the load is already running');
      const record = newCallRecord();
      const running: Loops = { stopping: false, startedAt: performance.now(), done: Promise.resolve(record) };
      const loop = async () => {
        while (!running.stopping) await timedCall(client, command.url, record);
      };
      running.done = Promise.all(Array.from({ length: command.concurrency }, loop)).then(() => record);
      loops = running;
      return { kind: 'started' };
    }
    case 'cpu':
      return { kind: 'cpu', cpuMicros: cpuMicros() };
    case 'stop': {
      if (!loops) throw new Error('no load is running');
      const running = loops;
      running.stopping = true;
      const calls = await running.done;
      loops = undefined;
      return { kind: 'stopped', calls, seconds: (performance.now() - running.startedAt) / 1000 };
    }
  }
}
