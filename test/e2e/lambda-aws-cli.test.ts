// Lambda's API driven by the real AWS CLI (v1, `awscli` from PyPI, the venv of toolchains/s3-clients/install.sh,
// which CI runs through install-all.sh: a missing install fails, never skips), as a deploy script would use it.
import { awsClientEnv } from '../support/aws-env.js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { bundleWith, manifestFor } from '../support/bundles.js';
import { startLambdaHost, seededRandom, type LambdaTestHost } from '../support/lambda-host.js';
import { fixtureComponent, repoRoot } from '../support/paths.js';

const token = 'lambda-cli-token-0123456789';
const aws = join(repoRoot, 'toolchains', '.cache', 's3-clients-venv', 'bin', 'aws');
let h: LambdaTestHost;
let work: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `aws --endpoint-url <admin port> lambda ...` (test/support/aws-env.ts: credentials from nowhere but here). */
function cli(args: readonly string[]): Promise<Run> {
  const env = awsClientEnv(work, token);
  return new Promise((resolve) => {
    execFile(aws, ['--endpoint-url', h.url, '--output', 'json', 'lambda', ...args], { env, cwd: work, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

async function ok(args: readonly string[]): Promise<Record<string, unknown>> {
  const result = await cli(args);
  assert.equal(result.code, 0, `aws lambda ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>);
}

before(async () => {
  const check = await new Promise<number>((resolve) => execFile('bash', [join(repoRoot, 'toolchains', 's3-clients', 'install.sh'), '--check'], (err) => resolve(err ? 1 : 0)));
  assert.equal(check, 0, 'awscli is not installed: run toolchains/s3-clients/install.sh (npm run toolchains)');
  work = await mkdtemp(join(tmpdir(), 'wasmlet-lambda-cli-'));
  h = await startLambdaHost(token, { random: seededRandom(7) });
  await writeFile(join(work, 'echo.zip'), bundleWith(manifestFor('cli-echo', '/cli/echo'), fixtureComponent('echo')));
  await writeFile(join(work, 'logger.zip'), bundleWith(manifestFor('cli-echo', '/cli/echo'), fixtureComponent('logger')));
  await writeFile(join(work, 'read-env.zip'), bundleWith(manifestFor('cli-env', '/cli/env'), fixtureComponent('read-env')));
  await writeFile(join(work, 'trap.zip'), bundleWith(manifestFor('cli-trap', '/cli/trap'), fixtureComponent('trap')));
});
after(async () => {
  await h?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('aws lambda: create-function (fileb://), wait, get-function, invoke with a log tail, function errors, list-functions paginated, delete-function', async () => {
  const created = await ok(['create-function', '--function-name', 'cli-echo', '--runtime', 'provided.al2023', '--role', 'arn:aws:iam::000000000000:role/x', '--handler', 'x', '--zip-file', 'fileb://echo.zip']);
  assert.deepEqual([created.FunctionName, created.State], ['cli-echo', 'Active']);
  await ok(['wait', 'function-active-v2', '--function-name', 'cli-echo']);
  assert.equal(((await ok(['get-function', '--function-name', 'cli-echo'])).Configuration as { Version: string }).Version, '$LATEST');

  const invoked = await ok(['invoke', '--function-name', 'cli-echo', '--payload', '{"from":"cli"}', '--log-type', 'Tail', 'out.json']);
  assert.deepEqual([invoked.StatusCode, invoked.ExecutedVersion], [200, '$LATEST']);
  assert.match(Buffer.from(invoked.LogResult as string, 'base64').toString(), /^START RequestId: .* Version: \$LATEST\n[\s\S]*REPORT RequestId: /);
  assert.equal((JSON.parse(await readFile(join(work, 'out.json'), 'utf8')) as { body: string }).body, '{"from":"cli"}');

  await ok(['create-function', '--function-name', 'cli-trap', '--role', 'r', '--zip-file', 'fileb://trap.zip']);
  const trapped = await ok(['invoke', '--function-name', 'cli-trap', 'trap.json']);
  assert.deepEqual([trapped.StatusCode, trapped.FunctionError], [200, 'Unhandled']);
  assert.equal((JSON.parse(await readFile(join(work, 'trap.json'), 'utf8')) as { errorType: string }).errorType, 'Runtime.Trap');
  const event = await ok(['invoke', '--function-name', 'cli-echo', '--invocation-type', 'Event', '--payload', '{}', 'event.json']);
  assert.equal(event.StatusCode, 202);
  assert.equal((await ok(['invoke', '--function-name', 'cli-echo', '--invocation-type', 'DryRun', 'dry.json'])).StatusCode, 204);

  // --max-items 1 pages with NextMarker under the hood; the CLI hands back its own NextToken.
  const first = await ok(['list-functions', '--max-items', '1']);
  assert.equal((first.Functions as unknown[]).length, 1);
  const rest = await ok(['list-functions', '--starting-token', first.NextToken as string]);
  assert.deepEqual([...(first.Functions as { FunctionName: string }[]), ...(rest.Functions as { FunctionName: string }[])].map((f) => f.FunctionName), ['cli-echo', 'cli-trap']);

  await ok(['delete-function', '--function-name', 'cli-trap']);
  const missing = await cli(['get-function', '--function-name', 'cli-trap']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /ResourceNotFoundException.*Function not found: arn:aws:lambda:us-east-1:000000000000:function:cli-trap/);
});

test('aws lambda: update-function-configuration, update-function-code, publish-version, a weighted alias, invoke by alias', async () => {
  await ok(['create-function', '--function-name', 'cli-env', '--role', 'r', '--zip-file', 'fileb://read-env.zip', '--environment', 'Variables={STAGE=one}']);
  const updated = await ok(['update-function-configuration', '--function-name', 'cli-env', '--environment', 'Variables={STAGE=two}', '--timeout', '9']);
  assert.deepEqual([updated.Timeout, (updated.Environment as { Variables: object }).Variables], [9, { STAGE: 'two' }]);
  await ok(['wait', 'function-updated-v2', '--function-name', 'cli-env']);
  await ok(['invoke', '--function-name', 'cli-env', 'env.json']);
  assert.match(await readFile(join(work, 'env.json'), 'utf8'), /STAGE=two/);

  const v1 = await ok(['publish-version', '--function-name', 'cli-echo', '--description', 'first']);
  await ok(['update-function-code', '--function-name', 'cli-echo', '--zip-file', 'fileb://logger.zip']);
  const v2 = await ok(['publish-version', '--function-name', 'cli-echo']);
  const versions = await ok(['list-versions-by-function', '--function-name', 'cli-echo']);
  assert.deepEqual((versions.Versions as { Version: string }[]).map((v) => v.Version), ['$LATEST', v1.Version, v2.Version]);
  const alias = await ok(['create-alias', '--function-name', 'cli-echo', '--name', 'live', '--function-version', v1.Version as string, '--routing-config', JSON.stringify({ AdditionalVersionWeights: { [v2.Version as string]: 0.5 } })]);
  assert.deepEqual((alias.RoutingConfig as { AdditionalVersionWeights: object }).AdditionalVersionWeights, { [v2.Version as string]: 0.5 });
  const executed = new Set<string>();
  for (let i = 0; i < 12; i++) executed.add((await ok(['invoke', '--function-name', 'cli-echo', '--qualifier', 'live', `alias-${i}.json`])).ExecutedVersion as string);
  assert.deepEqual([...executed].sort(), [v1.Version, v2.Version].sort(), 'both versions of the split ran');
  await ok(['update-alias', '--function-name', 'cli-echo', '--name', 'live', '--function-version', v2.Version as string, '--routing-config', '{"AdditionalVersionWeights":{}}']);
  assert.equal((await ok(['invoke', '--function-name', 'cli-echo:live', 'live.json'])).ExecutedVersion, v2.Version);
  assert.equal(await readFile(join(work, 'live.json'), 'utf8'), 'logged');
});

test('aws lambda: event invoke config with an on-failure queue, reserved concurrency, and Lambda\'s errors on stderr', async () => {
  const config = await ok(['put-function-event-invoke-config', '--function-name', 'cli-env', '--maximum-retry-attempts', '1', '--destination-config', 'OnFailure={Destination=arn:aws:sqs:us-east-1:000000000000:cli-failures}']);
  assert.equal(config.MaximumRetryAttempts, 1);
  assert.equal(((await ok(['get-function-event-invoke-config', '--function-name', 'cli-env'])).DestinationConfig as { OnFailure: { Destination: string } }).OnFailure.Destination, 'arn:aws:sqs:us-east-1:000000000000:cli-failures');

  assert.equal((await ok(['put-function-concurrency', '--function-name', 'cli-env', '--reserved-concurrent-executions', '0'])).ReservedConcurrentExecutions, 0);
  assert.equal((await ok(['get-function-concurrency', '--function-name', 'cli-env'])).ReservedConcurrentExecutions, 0);
  const throttled = await cli(['invoke', '--function-name', 'cli-env', 'throttled.json']);
  assert.notEqual(throttled.code, 0);
  assert.match(throttled.stderr, /TooManyRequestsException/);
  await ok(['delete-function-concurrency', '--function-name', 'cli-env']);
  assert.equal((await ok(['invoke', '--function-name', 'cli-env', 'again.json'])).StatusCode, 200);

  const conflict = await cli(['create-function', '--function-name', 'cli-env', '--role', 'r', '--zip-file', 'fileb://read-env.zip']);
  assert.match(conflict.stderr, /ResourceConflictException/);
  const badAlias = await cli(['create-alias', '--function-name', 'cli-env', '--name', 'x', '--function-version', '99']);
  assert.match(badAlias.stderr, /ResourceNotFoundException/);
  const badType = await cli(['invoke', '--function-name', 'cli-env', '--invocation-type', 'Sideways', 'bad.json']);
  assert.match(badType.stderr, /InvalidParameterValueException/);
});
