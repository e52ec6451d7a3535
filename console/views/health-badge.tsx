// The sidebar's line about the host: reachable or not, and its version.
import { usePoll } from '../use-poll.js';
import { useSession } from '../session.js';
import type { HealthBody } from '../wire-types.js';

export function HealthBadge() {
  const { api, signOut } = useSession();
  const health = usePoll(() => api.json<HealthBody>('/v1/health'), 5_000, 'health');
  const up = health.data?.ok === true && !health.error;
  return (
    <div class="health">
      <div class={`health-line ${up ? 'up' : health.data || health.error ? 'down' : ''}`}>
        <i class="dot" />
        {up ? 'Host is up' : health.error ? 'Host unreachable' : 'Connecting…'}
      </div>
      {health.data && <div class="muted small">wasmlet {health.data.version} · {location.host}</div>}
      <button type="button" class="linkish small" onClick={signOut}>
        Sign out of this tab
      </button>
    </div>
  );
}
