// Deploy by dropping a bundle .zip on the page or choosing one: the same POST /v1/functions as
// `wasmlet deploy x.zip`, so the host checks it the same way and its refusal is shown as it says it.
import { useRef, useState } from 'preact/hooks';
import { hrefOf } from '../router.js';
import { useSession } from '../session.js';
import { Link } from '../components/ui.js';
import type { DeployBody } from '../wire-types.js';

type Status =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy'; readonly file: string }
  | { readonly kind: 'done'; readonly body: DeployBody }
  | { readonly kind: 'failed'; readonly file: string; readonly message: string };

export function DeployDrop(props: { readonly onDeployed: () => void }) {
  const { api } = useSession();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  async function deploy(file: File) {
    setStatus({ kind: 'busy', file: file.name });
    try {
      const body = await api.json<DeployBody>('/v1/functions', { method: 'POST', body: file, headers: { 'content-type': 'application/zip' } });
      setStatus({ kind: 'done', body });
      props.onDeployed();
    } catch (err) {
      setStatus({ kind: 'failed', file: file.name, message: (err as Error).message });
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer?.files[0];
    if (file) void deploy(file);
  }

  return (
    <div
      class={`dropzone ${over ? 'over' : ''} ${status.kind}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div class="drop-icon" aria-hidden="true">⇪</div>
      <div class="drop-text">
        <strong>Deploy a function</strong>
        <span class="muted">
          Drop a bundle <code>.zip</code> here (what <code>wasmlet build</code> writes), or{' '}
          <button type="button" class="linkish" onClick={() => input.current?.click()}>
            choose a file
          </button>
          .
        </span>
        {status.kind === 'busy' && <span class="drop-status">Deploying {status.file}…</span>}
        {status.kind === 'done' && (
          <span class="drop-status ok" data-deployed={status.body.function.name}>
            {status.body.unchanged ? 'Already active: ' : 'Deployed '}
            <Link href={hrefOf({ page: 'function', name: status.body.function.name })}>
              {status.body.function.name} v{status.body.function.version}
            </Link>
          </span>
        )}
        {status.kind === 'failed' && (
          <span class="drop-status failed" role="alert">
            {status.file} was refused: {status.message}
          </span>
        )}
      </div>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        class="visually-hidden"
        aria-label="Bundle zip to deploy"
        onChange={(e) => {
          const target = e.target as HTMLInputElement;
          const file = target.files?.[0];
          if (file) void deploy(file);
          target.value = '';
        }}
      />
    </div>
  );
}
