// Summarises a list of todos: totals, counts by tag, and the open ones whose due date has passed.
//   request body { "todos": [Todo, ...] }: every todo is parsed as /api/todos/validate would
import { describe, fieldError, isPlainObject, parseTodo } from './todo-schema.js';

/** A summary request is one JSON body in memory; 1000 todos is ~200 KB, far under the body limit. */
export const MAX_TODOS = 1000;

/**
 * @typedef {{ todo: import('./todo-schema.js').Todo, dueSpan?: { startMs: number, endMs: number } }} ParsedTodo
 * @param {unknown} body the parsed request body
 * @returns {{ items: ParsedTodo[] } | { errors: import('./todo-schema.js').FieldError[] }}
 */
export function parseSummaryRequest(body) {
  if (!isPlainObject(body) || !Object.hasOwn(body, 'todos')) {
    return { errors: [fieldError('', 'type', `must be an object like {"todos": [...]}, got ${describe(body)}`)] };
  }
  const extra = Object.keys(body).filter((key) => key !== 'todos');
  const errors = extra.map((key) => fieldError(`/${key}`, 'unknown_field', 'is not a summary field (todos)'));
  const { todos } = body;
  if (!Array.isArray(todos)) return { errors: [...errors, fieldError('/todos', 'type', `must be an array, got ${describe(todos)}`)] };
  if (todos.length > MAX_TODOS) {
    return { errors: [...errors, fieldError('/todos', 'too_many', `must have at most ${MAX_TODOS} todos, got ${todos.length}`)] };
  }
  const items = [];
  todos.forEach((value, i) => {
    const parsed = parseTodo(value, `/todos/${i}`);
    if ('errors' in parsed) errors.push(...parsed.errors);
    else items.push(parsed);
  });
  return errors.length > 0 ? { errors } : { items };
}

/**
 * A todo is overdue when it is not done and `nowMs` is at or past the end of its due span (a
 * date-only due lasts until midnight UTC after it).
 * @param {ParsedTodo[]} items
 * @param {number} nowMs
 */
export function summarise(items, nowMs) {
  const byTag = new Map();
  let done = 0;
  let untagged = 0;
  const overdue = [];
  items.forEach(({ todo, dueSpan }, index) => {
    if (todo.done) done++;
    if (todo.tags.length === 0) untagged++;
    for (const tag of todo.tags) byTag.set(tag, (byTag.get(tag) ?? 0) + 1);
    if (!todo.done && dueSpan && nowMs >= dueSpan.endMs) overdue.push({ index, title: todo.title, due: todo.due, dueMs: dueSpan.endMs });
  });
  // Most overdue first; the input order breaks ties, so the answer is deterministic.
  overdue.sort((a, b) => a.dueMs - b.dueMs || a.index - b.index);
  return {
    total: items.length,
    done,
    open: items.length - done,
    byTag: Object.fromEntries([...byTag].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    untagged,
    overdue: overdue.map(({ index, title, due }) => ({ index, title, due })),
  };
}
