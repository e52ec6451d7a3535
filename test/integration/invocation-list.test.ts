// GET /v1/invocations: the async invocations the host keeps, newest change first, filtered by state
// (what the console's invocations view lists). One host, two functions: one succeeds, one traps.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InvocationsBody } from '../../src/client/api-types.js';
import { bundleWith } from '../support/bundles.js';
import { fixtureComponent } from '../support/paths.js';
import { waitFor } from '../support/queue-helpers.js';
import { errorCodeOf, startTestHost, type TestHost } from '../support/test-host.js';

async function submit(host: TestHost, name: string): Promise<string> {
  const response = await host.admin(`/v1/functions/${name}/invoke?mode=async`, { method: 'POST', body: '{}' });
  assert.equal(response.status, 202, await response.clone().text());
  return ((await response.json()) as { invocationId: string }).invocationId;
}

async function list(host: TestHost, query = ''): Promise<InvocationsBody['invocations']> {
  const response = await host.admin(`/v1/invocations${query}`);
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as InvocationsBody).invocations;
}

describe('GET /v1/invocations', () => {
  let host: TestHost;
  const ids: Record<string, string> = {};

  before(async () => {
    host = await startTestHost();
    const fine = await host.deploy(bundleWith('name = "fine"\ncomponent = "component.wasm"\n[[http]]\nroute = "/fine"\n', fixtureComponent('queue-probe')));
    assert.equal(fine.status, 201, await fine.text());
    const broken = await host.deploy(bundleWith('name = "broken"\ncomponent = "component.wasm"\n[[http]]\nroute = "/broken"\n[async]\nmax_retries = 0\n', fixtureComponent('trap')));
    assert.equal(broken.status, 201, await broken.text());
    ids.fine = await submit(host, 'fine');
    ids.broken = await submit(host, 'broken');
    await waitFor('both invocations to finish', async () => {
      const states = new Set((await list(host)).map((i) => i.state));
      return states.has('succeeded') && states.has('failed') ? true : undefined;
    });
  });
  after(async () => {
    await host.close();
  });

  test('lists every kept record with its state, newest change first', async () => {
    const all = await list(host);
    assert.deepEqual(new Set(all.map((i) => `${i.function} ${i.id} ${i.state}`)), new Set([`fine ${ids.fine} succeeded`, `broken ${ids.broken} failed`]));
    const times = all.map((i) => i.updatedAt);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.match(all.find((i) => i.state === 'failed')!.lastError ?? '', /trap|unreachable/i);
  });

  test('?state= keeps one state, ?limit= bounds the page', async () => {
    assert.deepEqual((await list(host, '?state=failed')).map((i) => i.id), [ids.broken]);
    assert.deepEqual((await list(host, '?state=queued')).map((i) => i.id), []);
    assert.equal((await list(host, '?limit=1')).length, 1);
  });

  test('an unknown state or a bad limit is a 400 naming it', async () => {
    const badState = await host.admin('/v1/invocations?state=done');
    assert.equal(badState.status, 400);
    assert.equal(await errorCodeOf(badState), 'bad_request');
    assert.equal((await host.admin('/v1/invocations?limit=0')).status, 400);
  });
});
