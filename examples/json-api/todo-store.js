// The todos, kept in a key-value store (the SDK's openStore('default')): `todo:<id>` holds one todo
// as JSON, `todo-next-id` the counter ids are drawn from (atomic: two requests never get one id).
// The store is passed in, so this file runs in plain Node too (todo-store.test.js).
export const TODO_KEY_PREFIX = 'todo:';
/** Not under the prefix: listing the todos never meets the counter. */
export const NEXT_ID_KEY = 'todo-next-id';
/** A batch read takes at most 1000 keys (the host's limit). */
const BATCH_KEYS = 1000;
/** An id is what the counter hands out: a positive decimal integer. */
const ID_PATTERN = /^[1-9][0-9]{0,15}$/;

/** Thrown inside update() to stop it when the todo is gone. */
const GONE = Symbol('gone');

/**
 * @typedef {import('./todo-schema.js').Todo} Todo
 * @typedef {Todo & { id: string, createdAt: string, updatedAt: string }} StoredTodo
 * @param {import('wasmlet').KeyValueStore} kv
 * @param {{ decode: (bytes: Uint8Array) => string, now?: () => string }} helpers decode: UTF-8 (the SDK's decodeUtf8)
 */
export function createTodoStore(kv, { decode, now = () => new Date().toISOString() }) {
  const keyOf = (id) => `${TODO_KEY_PREFIX}${id}`;
  return {
    /** Whether `id` can name a todo at all (anything else is a 404 without asking the store). */
    isId: (id) => ID_PATTERN.test(id),

    /** @param {Todo} todo @returns {StoredTodo} */
    create(todo) {
      const id = String(kv.increment(NEXT_ID_KEY));
      const time = now();
      const stored = { id, ...todo, createdAt: time, updatedAt: time };
      kv.setJson(keyOf(id), stored);
      return stored;
    },

    /** Every todo, by id. @returns {StoredTodo[]} */
    list() {
      const keys = kv.keys({ prefix: TODO_KEY_PREFIX });
      const todos = [];
      for (let i = 0; i < keys.length; i += BATCH_KEYS) {
        for (const value of kv.getMany(keys.slice(i, i + BATCH_KEYS))) {
          // Deleted between the listing and the read: not there any more.
          if (value !== undefined) todos.push(JSON.parse(decode(value)));
        }
      }
      return todos.sort((a, b) => Number(a.id) - Number(b.id));
    },

    /** @returns {StoredTodo | undefined} */
    get(id) {
      return kv.getJson(keyOf(id));
    },

    /**
     * Replaces the todo's fields, keeping its id and createdAt. Compare-and-swap: a todo deleted
     * meanwhile stays deleted (undefined), and of two concurrent replacements both are applied in turn.
     * @param {Todo} todo @returns {StoredTodo | undefined} undefined when there is no such todo
     */
    replace(id, todo) {
      let replaced;
      try {
        kv.update(keyOf(id), (current) => {
          if (current === undefined) throw GONE;
          const { createdAt } = JSON.parse(decode(current));
          replaced = { id, ...todo, createdAt, updatedAt: now() };
          return JSON.stringify(replaced);
        });
      } catch (e) {
        if (e === GONE) return undefined;
        throw e;
      }
      return replaced;
    },

    /** @returns {boolean} false when there was no such todo */
    remove(id) {
      if (!kv.exists(keyOf(id))) return false;
      kv.delete(keyOf(id));
      return true;
    },
  };
}
