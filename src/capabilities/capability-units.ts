// Every capability the host has, as units (capability-unit.ts). Adding one means a folder and a
// line here; nothing in runtime/ changes.
import type { CapabilityUnit } from './capability-unit.js';
import { createHostInterface } from './host-interface.js';
import { createKeyValueStoreImports, keyValueSharedImports } from './key-value/guest-imports.js';
import { createObjectsImports } from './objects/guest-imports.js';
import { createOutboundImports } from './outbound-http/guest-imports.js';
import { createPublisherInterface } from './publisher-interface.js';
import { wasiHttpTypesImports } from './wasi-http/types-imports.js';
import { createCliImports } from './wasi/cli.js';
import { createClockImports } from './wasi/clocks.js';
import { filesystemImports } from './wasi/filesystem.js';
import { randomImports } from './wasi/random.js';
import { socketImports } from './wasi/sockets.js';
import { InputStream, IoError, OutputStream, Pollable, poll } from './wasi/streams.js';

/** WASI 0.2 as the preview1 adapter and standard worlds import it: per instance, deny by default. */
const wasi: CapabilityUnit = {
  name: 'wasi',
  sharedImports: (link) => ({
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
    ...createClockImports(link),
    ...randomImports,
    ...filesystemImports,
    ...socketImports,
  }),
  instanceImports: (grants, { log }) => createCliImports(grants.env, log),
};

/** wasi:http/types: requests, responses, bodies. Reaching the network is outbound-http's. */
const wasiHttp: CapabilityUnit = {
  name: 'wasi-http',
  sharedImports: () => wasiHttpTypesImports,
};

const host: CapabilityUnit = {
  name: 'host',
  instanceImports: (grants, { log }) => createHostInterface(grants.config, log),
};

const publisher: CapabilityUnit = {
  name: 'publisher',
  // Sending is checked per queue at run time; a component may import the interface with an empty list.
  instanceImports: (grants, { outbox }) => createPublisherInterface(grants.publish, outbox),
};

const outboundHttp: CapabilityUnit = {
  name: 'outbound-http',
  // wasi:http/outgoing-handler is not gated: the standard proxy world imports it whether or not the
  // function ever calls out, so requiring a grant would refuse every unchanged wasi:http component.
  // Its requests are refused at run time (HTTP-request-denied) like any ungranted origin.
  gate: {
    interfaces: ['wasmlet:function/outbound-http'],
    manifestKey: 'allowed_outbound_hosts',
    isGranted: (grants) => grants.outboundHttp,
  },
  instanceImports: (_grants, { link }) => createOutboundImports(link),
};

/** wasi:keyvalue@0.2.0-draft2 (Spin's version): the stores of `key_value_stores`, served by key-value/key-value-host.ts. */
const keyValue: CapabilityUnit = {
  name: 'key-value',
  gate: {
    interfaces: ['wasi:keyvalue/store', 'wasi:keyvalue/atomics', 'wasi:keyvalue/batch'],
    manifestKey: 'key_value_stores',
    example: 'key_value_stores = ["default"]',
    isGranted: (grants) => (grants.keyValueStores?.length ?? 0) > 0,
  },
  // draft and draft2 differ in shape (u64 vs s64 increment, cursor types, CAS): a guest built for
  // another draft would not link against these imports.
  versions: { 'wasi:keyvalue/store': '0.2.0-draft2', 'wasi:keyvalue/atomics': '0.2.0-draft2', 'wasi:keyvalue/batch': '0.2.0-draft2' },
  sharedImports: () => keyValueSharedImports,
  instanceImports: (grants, { link }) => createKeyValueStoreImports(grants.keyValueStores ?? [], link),
};

/** wasmlet:function/objects: the buckets of `buckets`, each call checked for its access by objects/objects-host.ts. */
const objects: CapabilityUnit = {
  name: 'objects',
  gate: {
    interfaces: ['wasmlet:function/objects'],
    manifestKey: 'buckets',
    example: 'buckets = ["uploads:read"]',
    isGranted: (grants) => (grants.buckets?.length ?? 0) > 0,
  },
  instanceImports: (_grants, { link, log }) => createObjectsImports(link, log),
};

export const capabilityUnits: readonly CapabilityUnit[] = [wasi, wasiHttp, host, publisher, outboundHttp, keyValue, objects];
