// A KV compare-and-swap that lost (update on a moved revision, create on an existing key, delete
// with a stale previousSeq): JetStream answers "wrong last sequence" (API error 10071).

export function isKvConflict(err: unknown): boolean {
  const e = err as { code?: unknown; message?: string; api_error?: { err_code?: number } };
  return e?.code === 10071 || e?.api_error?.err_code === 10071 || /wrong last sequence/i.test(e?.message ?? '');
}
