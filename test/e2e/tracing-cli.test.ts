// `wasmlet serve --otlp-endpoint` as a user runs it: the real CLI in a child process, a function
// deployed with `wasmlet deploy`, a POST /signup that queues a message for the same function's queue
// handler, then SIGTERM. The in-test OTLP/HTTP receiver must hold one trace from the request through
// the queue to the handler — sent by the batch flush at shutdown at the latest.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startServe } from '../support/cli-process.js';
import { startOtlpReceiver, spanKind } from '../support/otlp-receiver.js';
import { fixtureComponent } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';

const manifest = `name = "signup"
component = "signup.wasm"
publish = ["probe-out", "signups"]

[[http]]
route = "/signup"
methods = ["POST"]

[[queue]]
queue = "signups"
batch_size = 1
`;

test('wasmlet serve --otlp-endpoint: one trace from POST /signup through the queue to its handler', async () => {
  const receiver = await startOtlpReceiver();
  const dir = await mkdtemp(join(tmpdir(), 'wasmlet-tracing-cli-'));
  const dataDir = join(dir, 'data');
  const functionDir = join(dir, 'signup');
  await mkdir(functionDir);
  await writeFile(join(functionDir, 'wasmlet.toml'), manifest);
  await copyFile(fixtureComponent('queue-probe'), join(functionDir, 'signup.wasm'));
  const serving = await startServe(['--data-dir', dataDir, '--workers', '2', '--otlp-endpoint', receiver.url]);
  try {
    const deployed = await runCli(['deploy', functionDir, '--admin-url', serving.urls.admin, '--data-dir', dataDir]);
    assert.equal(deployed.code, 0, deployed.stderr);

    const traceId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
    const parentId = Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex');
    const response = await fetch(`${serving.urls.http}/signup?send=signups`, { method: 'POST', body: 'ada@example.com', headers: { traceparent: `00-${traceId}-${parentId}-01` } });
    const messageId = await response.text();
    assert.equal(response.status, 202, messageId);

    // The queue handler reports each message it handled to probe-out.
    const authorization = await serving.authorization();
    await waitFor('the handler’s report', async () => {
      const peeked = (await (await fetch(`${serving.urls.admin}/v1/queues/probe-out/messages`, { headers: { authorization } })).json()) as { messages: unknown[] };
      return peeked.messages.length > 0 ? true : undefined;
    });
    assert.equal(await serving.stop(), 0, serving.stderr());

    const spans = receiver.spans.filter((s) => s.traceId === traceId);
    const named = (name: string) => spans.filter((s) => s.name === name);
    const [server] = named('POST /signup');
    const [consumer] = named('process signups');
    const [queueInvoke] = named('invoke signup');
    assert.ok(server && consumer && queueInvoke, `spans of the trace: ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(server.parentSpanId, parentId);
    assert.equal(server.serviceName, 'wasmlet');
    assert.equal(consumer.kind, spanKind.consumer);
    assert.equal(consumer.attributes['messaging.message.id'], messageId);
    assert.equal(named('call signup').length, 2, 'the HTTP call and the queue handler');
    assert.equal(consumer.parentSpanId, server.spanId, 'the message continues the request that published it');
    assert.equal(queueInvoke.parentSpanId, consumer.spanId);
  } finally {
    if (serving.process.exitCode === null) await serving.stop();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
});
