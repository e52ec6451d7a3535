// GET /<route>?name=ada -> "Hello, ada, from JavaScript!"
import { log, queryParams, text } from 'wasmlet';
import { greeting } from './greeting.js';

export function handle(request) {
  log.info('greeted someone');
  // Throwing here is a guest error: the host answers 500 and logs the message.
  return text(200, greeting(queryParams(request).get('name')));
}
