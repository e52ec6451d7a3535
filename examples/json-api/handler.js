// A todo API under /api/*, its data in the key-value store "default" (key_value_stores in
// wasmlet.toml), so todos outlive every fresh instance and a restart of the host.
//   GET    /api/health               {"ok": true, ...}
//   POST   /api/todos                a todo -> 201 {"todo"} (with its id), or 422 with every field error
//   GET    /api/todos                {"todos": [...], "count"}
//   GET    /api/todos/{id}           {"todo"} or 404
//   PUT    /api/todos/{id}           a todo -> {"todo"} (replaced), 404 or 422
//   DELETE /api/todos/{id}           204 or 404
//   POST   /api/todos/validate       a todo -> {"todo": normalised} or 422, nothing stored
//   POST   /api/todos/summary[?now=] {"todos": [...]} -> counts by tag, overdue todos
import { bodyJson, decodeUtf8, json, KeyValueError, openStore, queryParams, response } from 'wasmlet';
import { apiError } from './api-error.js';
import { parseIsoDate } from './iso-date.js';
import { nestsDeeperThan } from './json-depth.js';
import { createRouter } from './router.js';
import { createTodoStore } from './todo-store.js';
import { parseSummaryRequest, summarise } from './todo-summary.js';
import { parseTodo } from './todo-schema.js';

const SERVICE = 'json-api';
const API_VERSION = '2';
/** A summary is {"todos": [{"tags": [...]}]}: depth 4. Far deeper is an attack or a bug. */
const MAX_JSON_DEPTH = 32;
/** bodyJson's fallback: tells "not JSON" apart from any JSON value, null included. */
const NOT_JSON = Symbol('not JSON');

const route = createRouter({
  '/api/health': { GET: health },
  '/api/todos': { GET: listTodos, POST: createTodo },
  '/api/todos/validate': { POST: validateTodo },
  '/api/todos/summary': { POST: summariseTodos },
  '/api/todos/{id}': { GET: getTodo, PUT: replaceTodo, DELETE: deleteTodo },
});

export function handle(request) {
  try {
    return route(request);
  } catch (e) {
    if (!(e instanceof KeyValueError)) throw e;
    // The store's refusals are this API's errors, not a 500 from the host.
    if (e.code === 'kv_quota_exceeded') return apiError(507, 'storage_full', 'the todo store is full; delete some todos first');
    return apiError(500, 'storage_error', `the todo store failed: ${e.message}`);
  }
}

/** The store, opened per request: every request runs on a fresh instance anyway. */
function todos() {
  return createTodoStore(openStore('default'), { decode: decodeUtf8 });
}

function health() {
  return json(200, { ok: true, service: SERVICE, version: API_VERSION, time: new Date().toISOString() });
}

function createTodo(request) {
  const parsed = readTodo(request);
  if ('response' in parsed) return parsed.response;
  const todo = todos().create(parsed.todo);
  return json(201, { todo }, { location: `/api/todos/${todo.id}` });
}

function listTodos() {
  const all = todos().list();
  return json(200, { todos: all, count: all.length });
}

function getTodo(_request, { id }) {
  const store = todos();
  const todo = store.isId(id) ? store.get(id) : undefined;
  return todo ? json(200, { todo }) : noSuchTodo(id);
}

function replaceTodo(request, { id }) {
  const store = todos();
  if (!store.isId(id)) return noSuchTodo(id);
  const parsed = readTodo(request);
  if ('response' in parsed) return parsed.response;
  const todo = store.replace(id, parsed.todo);
  return todo ? json(200, { todo }) : noSuchTodo(id);
}

function deleteTodo(_request, { id }) {
  const store = todos();
  return store.isId(id) && store.remove(id) ? response(204) : noSuchTodo(id);
}

function validateTodo(request) {
  const parsed = readTodo(request);
  return 'response' in parsed ? parsed.response : json(200, { todo: parsed.todo });
}

function summariseTodos(request) {
  const nowParam = queryParams(request).get('now');
  let nowMs = Date.now();
  if (nowParam !== null) {
    const now = parseIsoDate(nowParam);
    if ('error' in now) return apiError(400, 'invalid_parameter', `now: ${now.error}`);
    nowMs = now.startMs;
  }
  const body = readJson(request);
  if ('response' in body) return body.response;
  const parsed = parseSummaryRequest(body.value);
  if ('errors' in parsed) return invalid('the todo list is invalid', parsed.errors);
  return json(200, { now: new Date(nowMs).toISOString(), ...summarise(parsed.items, nowMs) });
}

function noSuchTodo(id) {
  return apiError(404, 'not_found', `no todo ${JSON.stringify(id)}`);
}

/** A todo from the body, normalised, or the 400/422 to answer with. */
function readTodo(request) {
  const body = readJson(request);
  if ('response' in body) return body;
  const parsed = parseTodo(body.value);
  if ('errors' in parsed) return { response: invalid('the todo is invalid', parsed.errors) };
  return { todo: parsed.todo };
}

/** The body as JSON, or the 400 to answer with. */
function readJson(request) {
  if (request.body.length === 0) return { response: apiError(400, 'invalid_json', 'the request body is empty; send a JSON document') };
  if (nestsDeeperThan(request.body, MAX_JSON_DEPTH)) {
    return { response: apiError(400, 'invalid_json', `the request body nests deeper than ${MAX_JSON_DEPTH} levels`) };
  }
  const value = bodyJson(request, NOT_JSON);
  if (value === NOT_JSON) return { response: apiError(400, 'invalid_json', 'the request body is not valid JSON') };
  return { value };
}

function invalid(what, errors) {
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  return apiError(422, 'validation_failed', `${what}: ${count}`, { details: errors });
}
