/** What a CSR button carries: enough to find the CSR again; everything else is re-read when clicked. */
export interface CsrButtonValue {
  cluster: string;
  name: string;
  uid: string;
}

/** What the clicker is told when a CSR button's value is not one `encodeCsrButton` wrote. */
export const UNKNOWN_CSR_BUTTON =
  'This button does not name a CSR certops knows; use `/certs csr` to see what is pending.';

export function encodeCsrButton(value: CsrButtonValue): string {
  return JSON.stringify({ c: value.cluster, n: value.name, u: value.uid });
}

// The shapes Kubernetes allows: a cluster name as certops' configuration does, a CSR name (≤ 253), a uid.
const CLUSTER = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const UID = /^[0-9A-Za-z-]{1,64}$/;
const MAX_NAME = 253;

/** Whether decoded values have the shapes a real CSR has; checked before any lookup. */
export function plausibleCsrTarget(value: { cluster: string; name: string; uid: string }): boolean {
  return CLUSTER.test(value.cluster) && value.name.length > 0 && value.name.length <= MAX_NAME && UID.test(value.uid);
}

/** Undefined for anything that is not a value this module wrote (a forged or stale payload). */
export function decodeCsrButton(text: string | undefined): CsrButtonValue | undefined {
  // Slack caps button values at 2,000 characters; anything longer was not sent by Slack.
  if (text === undefined || text.length > 2000) return undefined;
  try {
    const raw = JSON.parse(text ?? '') as { c?: unknown; n?: unknown; u?: unknown };
    if (
      typeof raw.c !== 'string' ||
      typeof raw.n !== 'string' ||
      typeof raw.u !== 'string' ||
      !raw.c ||
      !raw.n ||
      !raw.u
    )
      return undefined;
    const value = { cluster: raw.c, name: raw.n, uid: raw.u };
    return plausibleCsrTarget(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
