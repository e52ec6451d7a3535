// Names of what the JetStream backend creates. Queue names allow `.` and `_`, which stream names
// and single subject tokens cannot carry as they are: both are escaped, unambiguously.

/** `_` → `__`, `.` → `_d`: a queue name as one stream-name part or one subject token. */
export function encodeName(queue: string): string {
  return queue.replaceAll('_', '__').replaceAll('.', '_d');
}

export function decodeName(encoded: string): string {
  return encoded.replace(/_(.)/g, (_, c: string) => (c === 'd' ? '.' : c));
}

export const queueStreamPrefix = 'wasmlet_q_';
export const queueSubjectPrefix = 'wasmlet.q.';
/** The durable pull consumer of every queue stream: a queue has one consuming function. */
export const queueConsumer = 'wasmlet';

export function queueStream(queue: string): string {
  return `${queueStreamPrefix}${encodeName(queue)}`;
}

export function queueSubject(queue: string): string {
  return `${queueSubjectPrefix}${encodeName(queue)}`;
}

/** The queue a stream name belongs to, or undefined for a stream that is not a queue's. */
export function queueOfStream(stream: string): string | undefined {
  return stream.startsWith(queueStreamPrefix) ? decodeName(stream.slice(queueStreamPrefix.length)) : undefined;
}
