// webhook-relay: turns a GitHub-style webhook into a chat message posted to [config] target_url
// (an origin granted in allowed_outbound_hosts). The work is in relay.js; this hands it the SDK.
import { FetchError, config, fetchSync, log } from 'wasmlet';
import { relay } from './relay.js';

export function handle(request) {
  return relay(request, { config, fetchSync, FetchError, log });
}
