// The function's logic, apart from the SDK so that `node --test` can test it natively.

/** "Hello, ada, from JavaScript!\n"; a missing or empty name greets the world. */
export function greeting(name) {
  return `Hello, ${name || 'world'}, from JavaScript!\n`;
}
