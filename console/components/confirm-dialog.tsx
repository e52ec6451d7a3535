// Asks before anything that cannot be undone (delete, rollback, redrive): a modal <dialog> with the
// consequence spelled out; the action runs only on the explicit button, and its failure stays shown.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface ConfirmProps {
  readonly title: string;
  readonly children: ComponentChildren;
  /** The button's words, e.g. "Delete hello". */
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly onConfirm: () => Promise<void>;
  readonly onClose: () => void;
}

export function ConfirmDialog(props: ConfirmProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} class="confirm" onClose={props.onClose} aria-labelledby="confirm-title">
      <h2 id="confirm-title">{props.title}</h2>
      <div class="confirm-body">{props.children}</div>
      {error && <p class="error-note">{error}</p>}
      <div class="confirm-actions">
        <button type="button" class="button ghost" onClick={() => dialog.current?.close()} disabled={busy}>
          Cancel
        </button>
        <button type="button" class={`button ${props.danger ? 'danger' : 'primary'}`} onClick={confirm} disabled={busy}>
          {busy ? 'Working…' : props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
