// A stateless todo API under /api/*: validation and summaries of todos the client sends.
// Instances are fresh per request and wasmlet has no storage capability yet, so nothing is kept.
//   GET  /api/health               {"ok": true, ...}
//   POST /api/todos/validate       a todo -> {"todo": normalised} or 422 with every field error
//   POST /api/todos/summary[?now=] {"todos": [...]} -> counts by tag, overdue todos
import { bodyJson, json, queryParams } from 'wasmlet';
import { apiError } from './api-error.js';
import { parseIsoDate } from './iso-date.js';
import { nestsDeeperThan } from './json-depth.js';
import { createRouter } from './router.js';
import { parseSummaryRequest, summarise } from './todo-summary.js';
import { parseTodo } from './todo-schema.js';

const SERVICE = 'json-api';
const API_VERSION = '1';
/** A summary is {"todos": [{"tags": [...]}]}: depth 4. Far deeper is an attack or a bug. */
const MAX_JSON_DEPTH = 32;
/** bodyJson's fallback: tells "not JSON" apart from any JSON value, null included. */
const NOT_JSON = Symbol('not JSON');

export const handle = createRouter({
  '/api/health': { GET: health },
  '/api/todos/validate': { POST: validateTodo },
  '/api/todos/summary': { POST: summariseTodos },
});

function health() {
  return json(200, { ok: true, service: SERVICE, version: API_VERSION, time: new Date().toISOString() });
}

function validateTodo(request) {
  const body = readJson(request);
  if ('response' in body) return body.response;
  const parsed = parseTodo(body.value);
  if ('errors' in parsed) return invalid('the todo is invalid', parsed.errors);
  return json(200, { todo: parsed.todo });
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
