// Lambda's API through @aws-sdk/client-lambda, part two: invocation types and the log tail, code and
// configuration updates, versions and weighted aliases, event invoke config with destinations,
// reserved concurrency, and the request errors (a real host over loopback).
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import {
  CreateAliasCommand, CreateFunctionCommand, DeleteAliasCommand, DeleteFunctionCommand, DeleteFunctionConcurrencyCommand, GetAliasCommand, GetFunctionCommand, GetFunctionConfigurationCommand,
  GetFunctionConcurrencyCommand, GetFunctionEventInvokeConfigCommand, InvokeCommand, LambdaClient, ListAliasesCommand, ListFunctionsCommand, ListVersionsByFunctionCommand, PublishVersionCommand,
  PutFunctionConcurrencyCommand, PutFunctionEventInvokeConfigCommand, UpdateAliasCommand, UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { startLambdaHost, seededRandom, type LambdaTestHost } from '../support/lambda-host.js';
import { fixtureComponent } from '../support/paths.js';
import { peek, waitFor } from '../support/queue-helpers.js';

const token = 'lambda-sdk-config-token-0123';
let h: LambdaTestHost;
let lambda: LambdaClient;

const encode = (s: string) => new TextEncoder().encode(s);
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const zipOf = (fixture: string, name: string, route: string, extra = '') => bundleWith(manifestFor(name, route, extra), fixtureComponent(fixture));
const admin = async (path: string) => h.host.adminApp.request(path, { headers: { authorization: `Bearer ${token}` } });

async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status);
    if (message) assert.match(err.message ?? '', message);
    return true;
  });
}

async function create(fixture: string, name: string, extra = '') {
  return lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: 'r', Code: { ZipFile: zipOf(fixture, name, `/cfg/${name}`, extra) } }));
}

/** A request signed like the SDK signs one (for bodies the SDK would never send). */
async function signedFetch(method: string, path: string, body: string): Promise<Response> {
  const url = new URL(path, h.url);
  const signer = new SignatureV4({ credentials: { accessKeyId: 'wasmlet', secretAccessKey: token }, region: 'us-east-1', service: 'lambda', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query: {}, headers: { host: url.host, 'content-type': 'application/json' }, body });
  return fetch(url, { method, headers: signed.headers as Record<string, string>, body });
}

before(async () => {
  h = await startLambdaHost(token, { random: seededRandom(2026) });
  lambda = h.client();
});
after(async () => {
  await h?.close();
});

test('Invoke: Event (202, through the async path), DryRun (204), LogType Tail (this invocation\'s lines, last 4 KB)', async () => {
  await create('logger', 'cfg-logger');
  const tailed = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-logger', LogType: 'Tail', Payload: encode('{}') }));
  assert.equal(text(tailed.Payload), 'logged');
  const log = Buffer.from(tailed.LogResult ?? '', 'base64').toString('utf8');
  const requestId = tailed.$metadata.requestId!;
  assert.match(log, new RegExp(`^START RequestId: ${requestId} Version: \\$LATEST\\n`));
  for (const line of ['to stdout', 'to stderr', 'debug', 'info', 'warn', 'error']) assert.match(log, new RegExp(`\\t${requestId}\\t[A-Z]+\\tfx-logger: ${line}\\n`));
  assert.match(log, new RegExp(`END RequestId: ${requestId}\\nREPORT RequestId: ${requestId}\\tDuration: `));
  // Another invocation's tail holds only its own lines.
  const second = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-logger', LogType: 'Tail' }));
  assert.ok(!Buffer.from(second.LogResult ?? '', 'base64').toString('utf8').includes(requestId));
  assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-logger' }))).LogResult, undefined);

  const dry = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-logger', InvocationType: 'DryRun' }));
  assert.equal(dry.StatusCode, 204);
  const event = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-logger', InvocationType: 'Event', Payload: encode('{"n":1}') }));
  assert.equal(event.StatusCode, 202);
  const id = event.$metadata.requestId!;
  // The request id is the async invocation's id: wasmlet's own record of it says it ran.
  const record = await waitFor('the event to run', async () => {
    const body = (await (await admin(`/v1/invocations/${id}`)).json()) as { invocation?: { state: string } };
    return body.invocation?.state === 'succeeded' ? body.invocation : undefined;
  });
  assert.equal(record.state, 'succeeded');
});

test('UpdateFunctionConfiguration (Environment, Timeout, MemorySize) and UpdateFunctionCode keep each other\'s parts; RevisionId is checked', async () => {
  await create('read-env', 'cfg-env', '[env]\nGREETING = "hi"\n');
  const before = await lambda.send(new GetFunctionCommand({ FunctionName: 'cfg-env' }));
  assert.deepEqual(before.Configuration?.Environment?.Variables, { GREETING: 'hi' });
  const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-env', Environment: { Variables: { GREETING: 'hello', COLOUR: 'teal' } }, Timeout: 7, MemorySize: 32 }));
  assert.deepEqual([updated.Timeout, updated.MemorySize, updated.Environment?.Variables], [7, 32, { GREETING: 'hello', COLOUR: 'teal' }]);
  assert.notEqual(updated.RevisionId, before.Configuration?.RevisionId);
  const seen = text((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-env' }))).Payload);
  assert.match(seen, /GREETING=hello/);
  assert.match(seen, /COLOUR=teal/);
  await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-env', Timeout: 8, RevisionId: before.Configuration!.RevisionId })), 'PreconditionFailedException', 412);
  // Two changes at once both land: each edits the manifest the other left (they run one at a time).
  await Promise.all([
    lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-env', Timeout: 6 })),
    lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-env', MemorySize: 48 })),
  ]);
  const both = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'cfg-env' }));
  assert.deepEqual([both.Timeout, both.MemorySize], [6, 48]);
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'cfg-env', Timeout: 7, MemorySize: 32 }));

  // New code (echo), same configuration: Lambda's rule.
  const code = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'cfg-env', ZipFile: zipOf('echo', 'anything', '/cfg/cfg-env') }));
  assert.deepEqual([code.Timeout, code.MemorySize, code.Environment?.Variables], [7, 32, { GREETING: 'hello', COLOUR: 'teal' }]);
  assert.notEqual(code.CodeSha256, updated.CodeSha256);
  assert.equal(JSON.parse(text((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-env', Payload: encode('"x"') }))).Payload)).body, '"x"');
  // Each change was a wasmlet deploy: `wasmlet rollback` undoes the code update.
  const info = (await (await admin('/v1/functions/cfg-env')).json()) as { function: { version: number; previousVersion: number } };
  assert.deepEqual([info.function.version, info.function.previousVersion], [6, 5]);
});

test('versions are immutable; an alias splits invocations by weight (1,000 invokes, within 3 points of 30%)', async () => {
  await create('echo', 'cfg-split');
  const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'cfg-split', Description: 'echo' }));
  assert.equal(v1.$metadata.httpStatusCode, 201);
  assert.equal(v1.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:cfg-split:${v1.Version}`);
  assert.equal((await lambda.send(new PublishVersionCommand({ FunctionName: 'cfg-split' }))).Version, v1.Version, 'unchanged code publishes no new version');
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'cfg-split', ZipFile: zipOf('logger', 'cfg-split', '/cfg/cfg-split') }));
  const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: 'cfg-split' }));
  assert.notEqual(v2.Version, v1.Version);
  // Version 1 still runs the echo code though $LATEST moved on.
  assert.match(text((await lambda.send(new InvokeCommand({ FunctionName: `cfg-split:${v1.Version}` }))).Payload), /"method":"POST"/);
  assert.equal(text((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-split', Qualifier: v2.Version }))).Payload), 'logged');
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'cfg-split' }));
  assert.deepEqual(versions.Versions?.map((v) => v.Version), ['$LATEST', v1.Version, v2.Version]);
  const all = await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
  assert.deepEqual(all.Functions?.filter((f) => f.FunctionName === 'cfg-split').map((f) => f.Version), ['$LATEST', v1.Version, v2.Version]);
  const published = await lambda.send(new CreateFunctionCommand({ FunctionName: 'cfg-published', Role: 'r', Code: { ZipFile: zipOf('echo', 'cfg-published', '/cfg/cfg-published') }, Publish: true }));
  assert.deepEqual([published.Version, published.FunctionArn], ['1', 'arn:aws:lambda:us-east-1:000000000000:function:cfg-published:1']);
  await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: `cfg-split:${v1.Version}`, Timeout: 3 })), 'InvalidParameterValueException', 400, /immutable/);

  const alias = await lambda.send(new CreateAliasCommand({ FunctionName: 'cfg-split', Name: 'live', FunctionVersion: v1.Version, RoutingConfig: { AdditionalVersionWeights: { [v2.Version!]: 0.3 } } }));
  assert.equal(alias.AliasArn, 'arn:aws:lambda:us-east-1:000000000000:function:cfg-split:live');
  await rejectsWith(lambda.send(new CreateAliasCommand({ FunctionName: 'cfg-split', Name: 'live', FunctionVersion: v1.Version })), 'ResourceConflictException', 409, /Alias already exists/);
  const counts = new Map<string, number>();
  for (let i = 0; i < 1000; i++) {
    const result = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-split:live', Payload: encode('{}') }));
    assert.equal(result.FunctionError, undefined);
    // The answer itself says which code ran, as ExecutedVersion does.
    assert.equal(text(result.Payload) === 'logged' ? v2.Version : v1.Version, result.ExecutedVersion);
    counts.set(result.ExecutedVersion!, (counts.get(result.ExecutedVersion!) ?? 0) + 1);
  }
  const share = (counts.get(v2.Version!) ?? 0) / 1000;
  assert.ok(Math.abs(share - 0.3) <= 0.03, `version ${v2.Version} got ${share * 100}% of the calls, not 30% ± 3`);
  assert.equal((counts.get(v1.Version!) ?? 0) + (counts.get(v2.Version!) ?? 0), 1000);

  await lambda.send(new UpdateAliasCommand({ FunctionName: 'cfg-split', Name: 'live', FunctionVersion: v2.Version, RoutingConfig: { AdditionalVersionWeights: {} } }));
  assert.equal((await lambda.send(new GetAliasCommand({ FunctionName: 'cfg-split', Name: 'live' }))).FunctionVersion, v2.Version);
  assert.equal(text((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-split', Qualifier: 'live' }))).Payload), 'logged');
  await rejectsWith(lambda.send(new DeleteFunctionCommand({ FunctionName: 'cfg-split', Qualifier: v2.Version })), 'ResourceConflictException', 409, /aliases reference it/);
  assert.deepEqual((await lambda.send(new ListAliasesCommand({ FunctionName: 'cfg-split' }))).Aliases?.map((a) => a.Name), ['live']);
  await lambda.send(new DeleteAliasCommand({ FunctionName: 'cfg-split', Name: 'live' }));
  await rejectsWith(lambda.send(new GetAliasCommand({ FunctionName: 'cfg-split', Name: 'live' })), 'ResourceNotFoundException', 404);
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'cfg-split', Qualifier: v1.Version }));
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-split', Qualifier: v1.Version })), 'ResourceNotFoundException', 404);
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-split:live' })), 'ResourceNotFoundException', 404);
});

test('event invoke config: retries, max age and an on-failure destination queue; an on-success one', async () => {
  await create('trap', 'cfg-async');
  const put = await lambda.send(new PutFunctionEventInvokeConfigCommand({
    FunctionName: 'cfg-async', MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 120,
    DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:000000000000:cfg-failures' } },
  }));
  assert.deepEqual([put.MaximumRetryAttempts, put.MaximumEventAgeInSeconds, put.DestinationConfig?.OnFailure?.Destination], [0, 120, 'arn:aws:sqs:us-east-1:000000000000:cfg-failures']);
  const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'cfg-async' }));
  assert.equal(got.DestinationConfig?.OnFailure?.Destination, 'arn:aws:sqs:us-east-1:000000000000:cfg-failures');
  const event = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-async', InvocationType: 'Event', Payload: encode('{"order":7}') }));
  const [failure] = await waitFor('the failure record', async () => {
    const messages = await peek({ admin }, 'cfg-failures');
    return messages.length > 0 ? messages : undefined;
  });
  const record = JSON.parse(failure!.text!) as { invocationId: string; condition: string; attempts: number; payload: { base64: string } };
  assert.deepEqual([record.invocationId, record.condition, record.attempts], [event.$metadata.requestId, 'RetriesExhausted', 1]);
  assert.equal(Buffer.from(record.payload.base64, 'base64').toString(), '{"order":7}');

  await create('echo', 'cfg-async-ok');
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg-async-ok', DestinationConfig: { OnSuccess: { Destination: 'cfg-successes' } } }));
  const ok = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-async-ok', InvocationType: 'Event', Payload: encode('{"order":8}') }));
  const [success] = await waitFor('the success record', async () => {
    const messages = await peek({ admin }, 'cfg-successes');
    return messages.length > 0 ? messages : undefined;
  });
  const done = JSON.parse(success!.text!) as { invocationId: string; condition: string; response: { base64: string } };
  assert.deepEqual([done.invocationId, done.condition], [ok.$metadata.requestId, 'Success']);
  assert.match(Buffer.from(done.response.base64, 'base64').toString(), /"body":"\{\\"order\\":8\}"/);

  // An Event for a published version runs that version's code and [async], whatever $LATEST became.
  await create('echo', 'cfg-async-v');
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg-async-v', MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: 'cfg-v-successes' } } }));
  const v = await lambda.send(new PublishVersionCommand({ FunctionName: 'cfg-async-v' }));
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'cfg-async-v', ZipFile: zipOf('trap', 'cfg-async-v', '/cfg/cfg-async-v') }));
  const byVersion = await lambda.send(new InvokeCommand({ FunctionName: 'cfg-async-v', Qualifier: v.Version, InvocationType: 'Event', Payload: encode('{"order":9}') }));
  assert.equal(byVersion.ExecutedVersion, v.Version);
  const [versioned] = await waitFor('the version\'s success record', async () => {
    const messages = await peek({ admin }, 'cfg-v-successes');
    return messages.length > 0 ? messages : undefined;
  });
  const ran = JSON.parse(versioned!.text!) as { invocationId: string; response: { base64: string } };
  assert.equal(ran.invocationId, byVersion.$metadata.requestId);
  assert.match(Buffer.from(ran.response.base64, 'base64').toString(), /order/);
  await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg-async', MaximumRetryAttempts: 3 })), 'InvalidParameterValueException', 400);
  await rejectsWith(lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'cfg-async', DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:topic' } } })), 'InvalidParameterValueException', 400, /not a queue/);
});

test('a secret a published version reads cannot be deleted while that version exists', async () => {
  const adminSend = (path: string, init: RequestInit) => h.host.adminApp.request(path, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } });
  assert.equal((await adminSend('/v1/secrets/FX_API_KEY', { method: 'PUT', body: 'sk-0123456789abcdef' })).status < 300, true);
  const manifest = `name = "cfg-secret"\ncomponent = "component.wasm"\n\n[[http]]\nroute = "/cfg/secret"\n\n[config]\napi_key = { secret = "FX_API_KEY" }\n`;
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'cfg-secret', Role: 'r', Code: { ZipFile: bundleWith(manifest, fixtureComponent('secret-logger')) } }));
  const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: 'cfg-secret' }));
  // $LATEST stops reading it; version 1 still does.
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'cfg-secret', ZipFile: zipOf('echo', 'cfg-secret', '/cfg/secret') }));
  const refused = await adminSend('/v1/secrets/FX_API_KEY', { method: 'DELETE' });
  assert.equal(refused.status, 409);
  assert.match(await refused.text(), new RegExp(`cfg-secret:${v1.Version}`));
  assert.match(text((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-secret', Qualifier: v1.Version }))).Payload), /api_key=sk-0123456789abcdef/);
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'cfg-secret', Qualifier: v1.Version }));
  assert.equal((await adminSend('/v1/secrets/FX_API_KEY', { method: 'DELETE' })).status, 200);
});

test('reserved concurrency: over it a sync Invoke gets 429 TooManyRequestsException; it is reported and removed', async () => {
  // The guest holds its call open on this upstream until the test answers: "in flight" is known, not timed.
  const held: ServerResponse[] = [];
  let arrived: () => void = () => undefined;
  const upstream = createServer((_req, res) => {
    held.push(res);
    arrived();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const port = (upstream.address() as AddressInfo).port;
  try {
    const manifest = `name = "cfg-held"\ncomponent = "component.wasm"\nallowed_outbound_hosts = ["http://127.0.0.1:*"]\n\n[[http]]\nroute = "/cfg/held"\n`;
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'cfg-held', Role: 'r', Code: { ZipFile: bundleWith(manifest, fixtureComponent('outbound')) } }));
    const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'cfg-held', ReservedConcurrentExecutions: 1 }));
    assert.equal(put.ReservedConcurrentExecutions, 1);
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'cfg-held' }))).ReservedConcurrentExecutions, 1);
    assert.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'cfg-held' }))).Concurrency?.ReservedConcurrentExecutions, 1);

    const reached = new Promise<void>((resolve) => (arrived = resolve));
    const first = fetch(`${h.httpUrl}/cfg/held?url=${encodeURIComponent(`http://127.0.0.1:${port}/hold`)}`);
    await reached; // the route call is in flight, holding the function's one slot
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-held', Payload: encode('{}') })), 'TooManyRequestsException', 429, /Rate Exceeded/);
    held[0]!.end('released');
    assert.match(await (await first).text(), /status=200/);
    // The slot is free again: the next call runs (the guest answers 400 without a url, a 200 for Lambda).
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-held', Payload: encode('{}') }))).StatusCode, 200);

    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'cfg-held', ReservedConcurrentExecutions: 0 }));
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-held' })), 'TooManyRequestsException', 429);
    assert.equal((await fetch(`${h.httpUrl}/cfg/held`)).status, 503, 'reserved 0 refuses the HTTP route too');
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'cfg-held' }));
    assert.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'cfg-held' }))).ReservedConcurrentExecutions, undefined);
    assert.equal((await lambda.send(new InvokeCommand({ FunctionName: 'cfg-held' }))).StatusCode, 200);
    await rejectsWith(lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'cfg-held', ReservedConcurrentExecutions: -1 })), 'InvalidParameterValueException', 400);
  } finally {
    for (const res of held) if (!res.writableEnded) res.end();
    await new Promise((resolve) => upstream.close(resolve));
  }
});

test('request errors: payload limits, bad names and qualifiers, bad JSON, a wrong invocation type', async () => {
  await create('echo', 'cfg-errors');
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-errors', Payload: new Uint8Array(6 * 1024 * 1024 + 1) })), 'RequestTooLargeException', 413, /6291456/);
  // The function's own max_body_bytes (1 MiB by default) is below Lambda's 6 MB.
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-errors', Payload: new Uint8Array(2 * 1024 * 1024) })), 'RequestTooLargeException', 413, /max_body_bytes/);
  await create('echo', 'cfg-errors-big', '[limits]\nmax_body_bytes = 8388608\n');
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-errors-big', InvocationType: 'Event', Payload: new Uint8Array(1024 * 1024 + 1) })), 'RequestTooLargeException', 413, /1048576/);
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-errors:1', Qualifier: '2' })), 'InvalidParameterValueException', 400, /derived qualifier/);
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-errors', Qualifier: 'nope' })), 'ResourceNotFoundException', 404, /function:cfg-errors:nope/);
  await rejectsWith(lambda.send(new CreateFunctionCommand({ FunctionName: 'Upper_Case', Role: 'r', Code: { ZipFile: zipOf('echo', 'x', '/cfg/upper') } })), 'InvalidParameterValueException', 400, /lower-case/);
  await rejectsWith(lambda.send(new CreateFunctionCommand({ FunctionName: 'cfg-notzip', Role: 'r', Code: { ZipFile: encode('not a zip') } })), 'InvalidParameterValueException', 400);
  await rejectsWith(lambda.send(new CreateFunctionCommand({ FunctionName: 'cfg-route-thief', Role: 'r', Code: { ZipFile: zipOf('echo', 'x', '/cfg/cfg-errors') } })), 'ResourceConflictException', 409, /cfg-errors/);
  await rejectsWith(lambda.send(new CreateFunctionCommand({ FunctionName: 'cfg-s3', Role: 'r', Code: { S3Bucket: 'b', S3Key: 'k' } })), 'InvalidParameterValueException', 400, /ZipFile only/);
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'cfg-errors', InvocationType: 'Sideways' as 'Event' })), 'InvalidParameterValueException', 400, /invocationType/);
  const unsigned = await fetch(`${h.url}/2015-03-31/functions/cfg-errors/invocations`, { method: 'POST', headers: { 'x-amz-invocation-type': 'Sideways' } });
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException', 'nothing is looked at before the signature');
  const badJson = await signedFetch('POST', '/2015-03-31/functions', '{"FunctionName": ');
  assert.equal(badJson.status, 400);
  assert.equal(badJson.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
  assert.match(((await badJson.json()) as { message: string }).message, /Could not parse request body into json/);
});
