// Lambda's API driven by the AWS SDK for JavaScript v3 (@aws-sdk/client-lambda) against a real host
// over loopback: deploy, invoke, configure, versions and aliases, event invoke config, reserved
// concurrency, pagination, and Lambda's errors, as an application or a deploy script would see them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CreateFunctionCommand, DeleteFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient, ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { startLambdaHost, seededRandom, type LambdaTestHost } from '../support/lambda-host.js';
import { fixtureComponent } from '../support/paths.js';

const token = 'lambda-sdk-token-0123456789';
let h: LambdaTestHost;
let lambda: LambdaClient;

const echoZip = (name: string, route: string, extra = '') => bundleWith(manifestFor(name, route, extra), fixtureComponent('echo'));
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

async function rejectsWith(promise: Promise<unknown>, name: string, status: number, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (err: { name?: string; message?: string; $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(err.name, name, `${err.name}: ${err.message}`);
    assert.equal(err.$metadata?.httpStatusCode, status);
    if (message) assert.match(err.message ?? '', message);
    return true;
  });
}

before(async () => {
  h = await startLambdaHost(token, { random: seededRandom(15) });
  lambda = h.client();
});
after(async () => {
  await h?.close();
});

test('CreateFunction, GetFunction, GetFunctionConfiguration, Invoke (RequestResponse), DeleteFunction', async () => {
  const zip = echoZip('sdk-echo', '/sdk/echo');
  const created = await lambda.send(new CreateFunctionCommand({
    FunctionName: 'sdk-echo', Role: 'arn:aws:iam::123456789012:role/ignored', Runtime: 'provided.al2023', Handler: 'ignored', Code: { ZipFile: zip }, Timeout: 5, MemorySize: 64,
  }));
  assert.equal(created.$metadata.httpStatusCode, 201);
  assert.equal(created.FunctionName, 'sdk-echo');
  assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:sdk-echo');
  assert.deepEqual([created.Version, created.State, created.LastUpdateStatus, created.Timeout, created.MemorySize], ['$LATEST', 'Active', 'Successful', 5, 64]);
  assert.match(created.CodeSha256 ?? '', /^[A-Za-z0-9+/]{43}=$/);
  await rejectsWith(lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-echo', Role: 'r', Code: { ZipFile: zip } })), 'ResourceConflictException', 409, /already exist/);

  const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-echo' }));
  assert.equal(got.Configuration?.CodeSha256, created.CodeSha256);
  assert.ok((got.Configuration?.CodeSize ?? 0) > 0);
  const byArn = await h.client({ region: 'eu-west-3' }).send(new GetFunctionConfigurationCommand({ FunctionName: 'arn:aws:lambda:eu-west-3:000000000000:function:sdk-echo' }));
  assert.equal(byArn.FunctionArn, 'arn:aws:lambda:eu-west-3:000000000000:function:sdk-echo', 'the region of the ARNs is the one the client signs for');

  const invoked = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-echo', Payload: new TextEncoder().encode('{"hello":"lambda"}') }));
  assert.equal(invoked.StatusCode, 200);
  assert.equal(invoked.ExecutedVersion, '$LATEST');
  assert.equal(invoked.FunctionError, undefined);
  const echoed = JSON.parse(text(invoked.Payload)) as { method: string; path: string; body: string };
  assert.deepEqual([echoed.method, echoed.path, echoed.body], ['POST', '/', '{"hello":"lambda"}']);
  // The function's HTTP route still serves, the same deploy.
  assert.equal((await fetch(`${h.httpUrl}/sdk/echo`)).status, 200);

  const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'sdk-echo' }));
  assert.equal(deleted.$metadata.httpStatusCode, 204);
  await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-echo' })), 'ResourceNotFoundException', 404, /Function not found: arn:aws:lambda:us-east-1:000000000000:function:sdk-echo/);
  await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-echo' })), 'ResourceNotFoundException', 404);
  assert.equal((await fetch(`${h.httpUrl}/sdk/echo`)).status, 404);
});

test('a function error or trap is a 200 with X-Amz-Function-Error: Unhandled and an error payload', async () => {
  await lambda.send(new CreateFunctionCommand({ FunctionName: 'sdk-trap', Role: 'r', Code: { ZipFile: bundleWith(manifestFor('sdk-trap', '/sdk/trap'), fixtureComponent('trap')) } }));
  const trapped = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-trap', Payload: new TextEncoder().encode('{}') }));
  assert.equal(trapped.StatusCode, 200);
  assert.equal(trapped.FunctionError, 'Unhandled');
  const error = JSON.parse(text(trapped.Payload)) as { errorType: string; errorMessage: string };
  assert.equal(error.errorType, 'Runtime.Trap');
  assert.match(error.errorMessage, /sdk-trap trapped/);
});

test('ListFunctions pages with Marker and MaxItems, never more than 50 a page', async () => {
  const names = Array.from({ length: 7 }, (_, i) => `sdk-page-${i}`);
  for (const name of names) await lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: 'r', Code: { ZipFile: echoZip(name, `/sdk/page/${name}`) } }));
  const seen: string[] = [];
  let marker: string | undefined;
  let pages = 0;
  do {
    const listed = await lambda.send(new ListFunctionsCommand({ MaxItems: 3, Marker: marker }));
    assert.ok((listed.Functions ?? []).length <= 3);
    seen.push(...(listed.Functions ?? []).map((f) => f.FunctionName!));
    marker = listed.NextMarker;
    pages++;
  } while (marker);
  assert.deepEqual(seen.filter((n) => n.startsWith('sdk-page-')), names);
  assert.ok(pages >= 3);
  assert.equal((await lambda.send(new ListFunctionsCommand({ MaxItems: 1000 }))).Functions!.length, seen.length, 'one page of at most 50 holds them all');
  await rejectsWith(lambda.send(new ListFunctionsCommand({ Marker: 'not-a-marker!' })), 'InvalidParameterValueException', 400);
});

test('SigV4: a wrong secret, an unknown key, a skewed clock and an unsigned request get Lambda\'s errors', async () => {
  await rejectsWith(h.client({ secretAccessKey: 'not-the-token' }).send(new ListFunctionsCommand({})), 'InvalidSignatureException', 403, /signature we calculated does not match/);
  await rejectsWith(h.client({ accessKeyId: 'AKIDEXAMPLE' }).send(new ListFunctionsCommand({})), 'UnrecognizedClientException', 403);
  await rejectsWith(h.client({ systemClockOffset: -20 * 60 * 1000 }).send(new ListFunctionsCommand({})), 'InvalidSignatureException', 403, /Signature expired/);
  const unsigned = await fetch(`${h.url}/2015-03-31/functions`);
  assert.equal(unsigned.status, 403);
  assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  // The bearer token is not a way in to Lambda's paths, nor SigV4 to the admin API's.
  assert.equal((await fetch(`${h.url}/2015-03-31/functions`, { headers: { authorization: `Bearer ${token}` } })).status, 403);
  assert.equal((await fetch(`${h.url}/v1/functions`)).status, 401);
  // Any region is accepted.
  assert.ok((await h.client({ region: 'ap-southeast-2' }).send(new ListFunctionsCommand({}))).Functions);
});
