/** What a CSR button carries: enough to find the CSR again; everything else is re-read when clicked. */
export interface CsrButtonValue {
  cluster: string;
  name: string;
  uid: string;
}

/** What the clicker is told when a CSR button's value is not one `encodeCsrButton` wrote. */
export const UNKNOWN_CSR_BUTTON = 'This button does not name a CSR certops knows; use `/certs csr` to see what is pending.';

export function encodeCsrButton(value: CsrButtonValue): string {
  return JSON.stringify({ c: value.cluster, n: value.name, u: value.uid });
}

/** Undefined for anything that is not a value this module wrote (a forged or stale payload). */
export function decodeCsrButton(text: string | undefined): CsrButtonValue | undefined {
  try {
    const raw = JSON.parse(text ?? '') as { c?: unknown; n?: unknown; u?: unknown };
    if (typeof raw.c !== 'string' || typeof raw.n !== 'string' || typeof raw.u !== 'string' || !raw.c || !raw.n || !raw.u) return undefined;
    return { cluster: raw.c, name: raw.n, uid: raw.u };
  } catch {
    return undefined;
  }
}
