// What the fake host recorded, shared by the fake imports and the tests. reset() between tests.
export const fake = {
  logs: [],
  config: {},
  sent: [],
  /** (queue) => a refusal reason, or undefined to accept. */
  refuse: () => undefined,
  /** What outbound-http's send was given, in order. */
  requests: [],
  /** (request) => a `response` record, or { error: { code, message } } for `err(http-error)`. */
  answer: () => ({ status: 200, headers: [], body: new Uint8Array(0) }),
  /** Key-value stores by name (each a Map key -> { value, version }), and what the fake keyvalue host does. */
  kv: new Map(),
  kvVersion: 0,
  kvGranted: ['default'],
  kvPageSize: 1000,
  /** (op, key) => an error variant to throw, or undefined. */
  kvRefuse: () => undefined,
  /** Called before each swap: a test may write behind the CAS handle here. */
  kvBeforeSwap: () => {},
  reset() {
    this.logs = [];
    this.config = {};
    this.sent = [];
    this.refuse = () => undefined;
    this.requests = [];
    this.answer = () => ({ status: 200, headers: [], body: new Uint8Array(0) });
    this.kv = new Map();
    this.kvVersion = 0;
    this.kvGranted = ['default'];
    this.kvPageSize = 1000;
    this.kvRefuse = () => undefined;
    this.kvBeforeSwap = () => {};
  },
};
