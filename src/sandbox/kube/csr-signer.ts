import type * as x509 from '@peculiar/x509';
import type { SimContext } from './context';
import { parseCsrRequest, subjectAltNames } from './csr-validation';
import { RESOURCES } from './resources/infos';
import type { StoreEvent } from './store';
import type { Condition, CsrObject } from './types';

const BACKDATE_MS = 5 * 60_000;
/** Certificates shorter than this are not backdated at the end (kube-controller-manager's signer). */
const SHORT_LIVED_MS = 8 * 3600_000;
const DEFAULT_TTL_MS = 365 * 86400_000;

interface RequestFacts {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  emails: string[];
  uris: string[];
}

function factsOf(csr: x509.Pkcs10CertificateRequest): RequestFacts {
  const names = subjectAltNames(csr)?.names.items ?? [];
  const of = (type: string) => names.filter((n) => n.type === type).map((n) => n.value);
  return {
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    organizations: csr.subjectName.getField('O'),
    dnsNames: of('dns'),
    ipAddresses: of('ip'),
    emails: of('email'),
    uris: of('url'),
  };
}

function usagesWithin(usages: string[], allowed: string[], required: string): boolean {
  return usages.includes(required) && usages.every((u) => allowed.includes(u));
}

/** The rules of the built-in signers; a string is the reason the signer refuses. */
const SIGNER_RULES: Record<string, (facts: RequestFacts, usages: string[]) => string | undefined> = {
  'kubernetes.io/kubelet-serving': (f, usages) => {
    if (f.organizations.length !== 1 || f.organizations[0] !== 'system:nodes')
      return 'subject organization is not system:nodes';
    if (f.dnsNames.length === 0 && f.ipAddresses.length === 0) return 'DNS or IP subjectAltName is required';
    if (f.emails.length > 0) return 'Email subjectAltNames are not allowed';
    if (f.uris.length > 0) return 'URI subjectAltNames are not allowed';
    if (!usagesWithin(usages, ['digital signature', 'key encipherment', 'server auth'], 'server auth')) {
      return 'usages did not match [digital signature key encipherment server auth]';
    }
    if (!f.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
    return undefined;
  },
  'kubernetes.io/kube-apiserver-client-kubelet': (f, usages) => {
    if (f.organizations.length !== 1 || f.organizations[0] !== 'system:nodes')
      return 'subject organization is not system:nodes';
    if (f.dnsNames.length > 0) return 'DNS subjectAltNames are not allowed';
    if (f.emails.length > 0) return 'Email subjectAltNames are not allowed';
    if (f.ipAddresses.length > 0) return 'IP subjectAltNames are not allowed';
    if (f.uris.length > 0) return 'URI subjectAltNames are not allowed';
    if (!f.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
    if (!usagesWithin(usages, ['digital signature', 'key encipherment', 'client auth'], 'client auth')) {
      return 'usages did not match [client auth digital signature key encipherment]';
    }
    return undefined;
  },
  'kubernetes.io/kube-apiserver-client': (_f, usages) =>
    usagesWithin(usages, ['digital signature', 'key encipherment', 'client auth'], 'client auth')
      ? undefined
      : `invalid usage for client certificate: ${usages.join(',')}`,
};

export function hasCondition(csr: CsrObject, type: string): boolean {
  return (csr.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');
}

function needsSigning(csr: CsrObject): boolean {
  return (
    csr.spec.signerName.startsWith('kubernetes.io/') &&
    hasCondition(csr, 'Approved') &&
    !hasCondition(csr, 'Failed') &&
    !csr.status?.certificate
  );
}

/** notBefore/notAfter as the controller manager computes them: backdated 5 minutes, at most one year. */
export function certificateWindow(nowMs: number, expirationSeconds?: number): { notBefore: Date; notAfter: Date } {
  const requested = expirationSeconds !== undefined ? Math.max(600, expirationSeconds) * 1000 : DEFAULT_TTL_MS;
  const ttl = Math.min(requested, DEFAULT_TTL_MS);
  const notAfter = ttl < SHORT_LIVED_MS ? nowMs + ttl : nowMs + ttl - BACKDATE_MS;
  return { notBefore: new Date(nowMs - BACKDATE_MS), notAfter: new Date(notAfter) };
}

/**
 * How a built-in signer behaves. Managed control planes may not run a signer at all ('never': approved CSRs
 * stay unsigned) or may refuse it (a Failed condition with their message).
 */
export type SignerMode = 'sign' | 'never' | { refuse: string };

/** kube-controller-manager's csrsigning controller for the kubernetes.io/* signers, using the cluster CA. */
export class CsrSigner {
  private readonly inFlight = new Set<string>();
  private readonly modes = new Map<string, SignerMode>();

  setMode(signerName: string, mode: SignerMode): void {
    this.modes.set(signerName, mode);
  }

  constructor(private readonly ctx: SimContext) {}

  start(): () => void {
    return this.ctx.store.subscribe((event: StoreEvent) => {
      if (event.info !== RESOURCES.csrs || event.type === 'DELETED') return;
      const csr = event.object as CsrObject;
      const uid = csr.metadata.uid ?? '';
      if (!needsSigning(csr) || this.inFlight.has(uid)) return;
      this.inFlight.add(uid);
      this.ctx.work.run('csr-signer', () =>
        this.sign(csr.metadata.name ?? '').finally(() => this.inFlight.delete(uid)),
      );
    });
  }

  private async sign(name: string): Promise<void> {
    const { store, clock, pki } = this.ctx;
    const csr = store.get<CsrObject>(RESOURCES.csrs, undefined, name);
    if (!csr || !needsSigning(csr)) return;
    const mode = this.modes.get(csr.spec.signerName) ?? 'sign';
    if (mode === 'never') return;
    const parsed = parseCsrRequest(csr.spec.request);
    const usages = csr.spec.usages ?? [];
    const refusal =
      typeof mode === 'object'
        ? mode.refuse
        : typeof parsed === 'string'
          ? parsed
          : SIGNER_RULES[csr.spec.signerName]?.(factsOf(parsed), usages);
    const status = csr.status ?? {};
    if (refusal || typeof parsed === 'string') {
      const now = clock.timestamp();
      const failed: Condition = {
        type: 'Failed',
        status: 'True',
        reason: 'SignerValidationFailure',
        message: refusal ?? 'invalid request',
        lastUpdateTime: now,
        lastTransitionTime: now,
      };
      store.update(RESOURCES.csrs, {
        ...csr,
        status: { ...status, conditions: [...(status.conditions ?? []), failed] },
      });
      return;
    }
    const window = certificateWindow(clock.now(), csr.spec.expirationSeconds);
    const certPem = await pki.sign({ csr: parsed, usages, ...window });
    const latest = store.get<CsrObject>(RESOURCES.csrs, undefined, name);
    if (!latest || latest.metadata.uid !== csr.metadata.uid || !needsSigning(latest)) return;
    store.update(RESOURCES.csrs, {
      ...latest,
      status: { ...latest.status, certificate: Buffer.from(certPem).toString('base64') },
    });
  }
}
