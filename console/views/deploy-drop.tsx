// Deploy by dropping a bundle .zip or a function folder on the page, or choosing one: the same
// POST /v1/functions as `wasmlet deploy`, so the host checks it the same way and its refusal is shown
// as it says it. A folder is zipped here exactly as the CLI zips it (pack-folder.ts).
import { useRef, useState } from 'preact/hooks';
import { hrefOf } from '../router.js';
import { useSession } from '../session.js';
import { Link } from '../components/ui.js';
import type { DeployBody } from '../wire-types.js';
import { packFolder, readerOfDirectoryEntry, readerOfFileList } from '../pack-folder.js';

type Status =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy'; readonly file: string }
  | { readonly kind: 'done'; readonly body: DeployBody }
  | { readonly kind: 'failed'; readonly file: string; readonly message: string };

export function DeployDrop(props: { readonly onDeployed: () => void }) {
  const { api } = useSession();
  const input = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  /** `bundle` gives the zip (a file as it is, or a folder packed); its failure is shown like the host's. */
  async function deploy(name: string, bundle: () => Promise<File>) {
    setStatus({ kind: 'busy', file: name });
    try {
      const body = await api.json<DeployBody>('/v1/functions', { method: 'POST', body: await bundle(), headers: { 'content-type': 'application/zip' } });
      setStatus({ kind: 'done', body });
      props.onDeployed();
    } catch (err) {
      setStatus({ kind: 'failed', file: name, message: (err as Error).message });
    }
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setOver(false);
    const entry = event.dataTransfer?.items[0]?.webkitGetAsEntry();
    if (entry?.isDirectory) {
      void deploy(entry.name, () => packFolder(entry.name, readerOfDirectoryEntry(entry as FileSystemDirectoryEntry)));
      return;
    }
    const file = event.dataTransfer?.files[0];
    if (file) void deploy(file.name, async () => file);
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
          Drop a bundle <code>.zip</code> or a function folder here (<code>wasmlet.toml</code> and its built component), or choose a{' '}
          <button type="button" class="linkish" onClick={() => input.current?.click()}>
            zip
          </button>{' '}
          or a{' '}
          <button type="button" class="linkish" onClick={() => folderInput.current?.click()}>
            folder
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
        data-zip-input=""
        onChange={(e) => {
          const target = e.target as HTMLInputElement;
          const file = target.files?.[0];
          if (file) void deploy(file.name, async () => file);
          target.value = '';
        }}
      />
      <input
        ref={folderInput}
        type="file"
        // @ts-expect-error webkitdirectory is not in preact's typings; every current browser supports it
        webkitdirectory
        class="visually-hidden"
        aria-label="Function folder to deploy"
        data-folder-input=""
        onChange={(e) => {
          const target = e.target as HTMLInputElement;
          const files = [...(target.files ?? [])];
          target.value = '';
          if (files.length === 0) return;
          const folder = readerOfFileList(files);
          void deploy(folder.folderName, () => packFolder(folder.folderName, folder.read));
        }}
      />
    </div>
  );
}
