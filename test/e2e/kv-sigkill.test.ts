// The durability promise of the key-value stores, against real host processes and the real
// examples/json-api: every todo the API acknowledged (201, 200, 204) is exactly as acknowledged after
// the host is killed with SIGKILL and restarted on the same data directory, three times, with
// requests in flight at each kill; ids drawn from the counter are never handed out twice.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { request } from 'undici';
import { packFunction } from '../../src/bundle/pack-function.js';
import { startServe, type ServingHost } from '../support/cli-process.js';
import { examplesDir } from '../support/paths.js';

const kills = 3;
const createsPerRound = 20;
const inFlightAtKill = 10;

interface Todo {
  readonly id: string;
  readonly title: string;
  readonly tags: string[];
  readonly done: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

async function api(host: ServingHost, method: string, path: string, body?: unknown): Promise<{ status: number; json: () => unknown; text: string }> {
  const response = await request(`${host.urls.http}${path}`, {
    method: method as 'GET',
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: () => JSON.parse(text) as unknown, text };
}

test(`json-api's todos survive SIGKILL of the host ${kills}× with requests in flight; ids are never reused`, { timeout: 300_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'wasmlet-kv-sigkill-'));
  let host = await startServe(['--data-dir', dataDir, '--workers', '2']);
  try {
    const bundle = await packFunction(join(examplesDir, 'json-api'));
    const deployed = await request(`${host.urls.admin}/v1/functions`, { method: 'POST', body: bundle, headers: { 'content-type': 'application/zip', authorization: await host.authorization() } });
    assert.equal(deployed.statusCode, 201, await deployed.body.text());

    /** What the API acknowledged, by id; undefined once a DELETE was acknowledged. */
    const acknowledged = new Map<string, Todo | undefined>();
    const create = async (title: string, tags: string[]) => {
      const created = await api(host, 'POST', '/api/todos', { title, tags });
      assert.equal(created.status, 201, created.text);
      const { todo } = created.json() as { todo: Todo };
      assert.ok(!acknowledged.has(todo.id), `id ${todo.id} handed out twice`);
      acknowledged.set(todo.id, todo);
      return todo;
    };

    for (let round = 0; round < kills; round++) {
      const made: Todo[] = [];
      for (let i = 0; i < createsPerRound; i++) made.push(await create(`round ${round} #${i}`, [`r${round}`]));
      const replaced = await api(host, 'PUT', `/api/todos/${made[0]!.id}`, { title: `round ${round} replaced`, done: true });
      assert.equal(replaced.status, 200, replaced.text);
      acknowledged.set(made[0]!.id, (replaced.json() as { todo: Todo }).todo);
      const removed = await api(host, 'DELETE', `/api/todos/${made[1]!.id}`);
      assert.equal(removed.status, 204, removed.text);
      acknowledged.set(made[1]!.id, undefined);

      // Writes in flight when the process dies: those acknowledged before must be there; the rest may or may not be.
      const inFlight = Array.from({ length: inFlightAtKill }, (_, i) =>
        api(host, 'POST', '/api/todos', { title: `in flight ${round}.${i}` }).then(
          (r) => (r.status === 201 ? (r.json() as { todo: Todo }).todo : undefined),
          () => undefined,
        ),
      );
      await host.kill();
      const landed = (await Promise.all(inFlight)).filter((t): t is Todo => t !== undefined);
      for (const todo of landed) {
        assert.ok(!acknowledged.has(todo.id), `id ${todo.id} handed out twice`);
        acknowledged.set(todo.id, todo);
      }

      host = await startServe(['--data-dir', dataDir, '--workers', '2']);
      const listed = await api(host, 'GET', '/api/todos');
      assert.equal(listed.status, 200, listed.text);
      const { todos, count } = listed.json() as { todos: Todo[]; count: number };
      assert.equal(count, todos.length);
      const byId = new Map(todos.map((t) => [t.id, t]));
      for (const [id, todo] of acknowledged) {
        if (todo === undefined) assert.equal(byId.has(id), false, `deleted todo ${id} is back after kill ${round + 1}`);
        else assert.deepEqual(byId.get(id), todo, `todo ${id} after kill ${round + 1}`);
      }
      // Anything else listed is a write the kill interrupted after it committed: whole, never torn.
      for (const todo of todos) {
        if (acknowledged.has(todo.id)) continue;
        assert.match(todo.title, /^in flight \d+\.\d+$/);
        acknowledged.set(todo.id, todo);
      }
      // The counter survived too: the next id is new.
      await create(`after kill ${round + 1}`, []);
    }
  } finally {
    await host.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  }
});
