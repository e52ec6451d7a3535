// Scenario "nats" alone, without the bench runner (`npm run bench -- --only nats` runs it too):
//   npm run build && node dist/bench/nats-queues.js [--messages 5000]
import { parseArgs } from 'node:util';
import { measureNatsQueues, renderNatsQueues } from './scenarios/nats-queues.js';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '5000' } } });
const options = { messages: Number(values.messages), latencySamples: 300, batch: 100, bodyBytes: 200 };
const result = await measureNatsQueues(options, (line) => process.stderr.write(`${line}\n`));
console.log(renderNatsQueues(result, options).join('\n'));
