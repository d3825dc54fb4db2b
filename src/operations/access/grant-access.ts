import { X509Certificate } from 'node:crypto';
import type { V1CertificateSigningRequest } from '@kubernetes/client-node';
import { UnrecoverableError } from 'bullmq';
import {
  accessBindingManifest,
  accessGroup,
  accessKubeconfig,
  accessObjectName,
  accessUserName,
  formatDuration,
  type AccessRoleRef,
} from '../../core/access';
import type { AccessGrant } from '../../state/access-grants';
import type { Logger } from '../../util/logger';
import type { ProgressReporter } from '../progress-reporter';
import { classifyApiError } from '../errors/classify-api-error';
import type { AccessClusterPort } from './access-cluster-api';
import { newAccessKeyAndCsr } from './access-key';
import { readableUtc } from '../../util/slack-date';

/** The approved ask, as the request recorded it. */
export interface ApprovedAccess {
  requestId: string;
  cluster: string;
  level: string;
  roleRef: AccessRoleRef;
  durationSeconds: number;
  requester: { id: string; name: string };
  approvers: string[];
}

/** The kubeconfig on its way to the requester, and nobody else. */
export interface AccessDelivery {
  requestId: string;
  cluster: string;
  level: string;
  userId: string;
  expiresAt: string;
  fileName: string;
  kubeconfig: string;
}

export interface AccessGrantsPort {
  get(requestId: string): Promise<AccessGrant | undefined>;
  saveLive(grant: AccessGrant): Promise<boolean>;
  end(grant: AccessGrant): Promise<boolean>;
}

export interface GrantAccessInput {
  access: ApprovedAccess;
  api: AccessClusterPort;
  grants: AccessGrantsPort;
  deliver(delivery: AccessDelivery): Promise<void>;
  audit(entry: { action: string; outcome: string }): Promise<void>;
  progress: ProgressReporter;
  logger: Logger;
  now: () => Date;
  /** How long the signer may take to issue before certops gives up and says so. */
  issueTimeoutMs: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** A failure on the last attempt removes the binding: nobody keeps access nobody was told about. */
  finalAttempt: boolean;
}

export interface GrantAccessResult {
  message: string;
  grant: AccessGrant;
}

/** The signer refused or never issued: the request ends, without a binding. */
export class AccessNotIssuedError extends UnrecoverableError {
  override readonly name = 'AccessNotIssuedError';
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The CSR's Failed or Denied condition as a sentence: what happened, its reason code for searching, its message. */
function failedCondition(csr: V1CertificateSigningRequest): string | undefined {
  const condition = (csr.status?.conditions ?? []).find(
    (c) => (c.type === 'Failed' || c.type === 'Denied') && c.status === 'True',
  );
  if (!condition) return undefined;
  const what = condition.type === 'Denied' ? 'the request was denied' : 'signing failed';
  return `${what}${condition.reason ? ` (reason ${condition.reason})` : ''}${condition.message ? `: ${condition.message}` : ''}`;
}

function freshGrant(access: ApprovedAccess): AccessGrant {
  const binding = accessBindingManifest({
    requestId: access.requestId,
    roleRef: access.roleRef,
    slackUserId: access.requester.id,
    level: access.level,
    expiresAt: new Date(0),
  });
  return {
    requestId: access.requestId,
    cluster: access.cluster,
    level: access.level,
    user: access.requester,
    kubernetesUser: accessUserName(access.requester.id),
    group: accessGroup(access.requestId),
    roleRef: access.roleRef,
    bindingKind: binding.kind,
    bindingName: accessObjectName(access.requestId),
    csrName: accessObjectName(access.requestId),
    durationSeconds: access.durationSeconds,
    state: 'issuing',
  };
}

async function waitForCertificate(input: GrantAccessInput, name: string): Promise<string> {
  const sleep = input.sleep ?? realSleep;
  const deadline = input.now().getTime() + input.issueTimeoutMs;
  for (;;) {
    const csr = await input.api.readCsr(name);
    if (!csr) throw new AccessNotIssuedError(`CSR ${name} disappeared before it was issued`);
    const failed = failedCondition(csr);
    if (failed) throw new AccessNotIssuedError(`the cluster's signer did not issue the certificate: ${failed}`);
    if (csr.status?.certificate) return Buffer.from(csr.status.certificate, 'base64').toString('utf8');
    if (input.now().getTime() >= deadline) {
      throw new AccessNotIssuedError(
        `the signer kubernetes.io/kube-apiserver-client issued no certificate within ${Math.round(input.issueTimeoutMs / 1000)} s (CSR ${name} is approved but unsigned; some managed control planes do not run this signer)`,
      );
    }
    await sleep(input.pollIntervalMs ?? 500);
  }
}

async function removeBinding(input: GrantAccessInput, grant: AccessGrant): Promise<void> {
  await input.api.deleteBinding({
    kind: grant.bindingKind,
    namespace: grant.roleRef.namespace,
    name: grant.bindingName,
  });
}

/**
 * One attempt at a grant. Each attempt starts from a fresh key (the last one died with its worker), so a
 * retried attempt re-issues and re-binds with its own expiry; the binding is created with its expiry labels,
 * so none ever exists without one. A grant revoked meanwhile is cleaned up, never re-created.
 */
export async function grantAccess(input: GrantAccessInput): Promise<GrantAccessResult> {
  const { access, api, grants, logger } = input;
  const name = accessObjectName(access.requestId);
  let grant = (await grants.get(access.requestId)) ?? freshGrant(access);
  if (grant.state === 'revoked' || grant.state === 'failed') {
    await removeBinding(input, grant);
    return { message: `access was ${grant.state} before the kubeconfig was delivered; nothing was granted`, grant };
  }
  if (!(await grants.saveLive(grant))) return grantAccess(input);
  try {
    input.progress.step('issuing a client certificate', 1, 4);
    const { csrPem, keyPem } = await newAccessKeyAndCsr(grant.kubernetesUser, grant.group);
    await api.deleteCsr(name);
    const uid = await api.createCsr({
      name,
      requestId: access.requestId,
      csrPem,
      expirationSeconds: access.durationSeconds,
    });
    await api.approveCsr(
      name,
      uid,
      `certops: temporary access ${access.level} for ${access.requester.name}, approved by ${access.approvers.join(', ')} (request ${access.requestId})`,
    );
    const certPem = await waitForCertificate(input, name);
    const certificate = new X509Certificate(certPem);
    const expiresAt = new Date(certificate.validTo);
    const issuedAt = input.now().toISOString();
    grant = { ...grant, state: 'active', issuedAt, expiresAt: expiresAt.toISOString() };
    // The expiry is in Redis before the binding exists, so the sweeper knows of it even if this worker dies next.
    if (!(await grants.saveLive(grant))) return grantAccess(input);
    await input.audit({
      action: 'issued',
      outcome: `certificate for ${grant.kubernetesUser} (group ${grant.group}) valid until ${grant.expiresAt}, serial ${certificate.serialNumber.toLowerCase()}`,
    });

    input.progress.step('binding the role', 2, 4);
    const binding = accessBindingManifest({
      requestId: access.requestId,
      roleRef: access.roleRef,
      slackUserId: access.requester.id,
      level: access.level,
      expiresAt,
    });
    await api.putBinding(binding);
    // Revoked while the binding was being made: take it away again at once.
    const latest = await grants.get(access.requestId);
    if (latest && (latest.state === 'revoked' || latest.state === 'failed')) {
      await removeBinding(input, latest);
      return {
        message: 'access was revoked before the kubeconfig was delivered; the binding is removed',
        grant: latest,
      };
    }
    await input.audit({
      action: 'bound',
      outcome: `${binding.kind} ${name} binds ${access.roleRef.kind} ${access.roleRef.name}${access.roleRef.namespace ? ` in ${access.roleRef.namespace}` : ''} to ${grant.group} until ${grant.expiresAt}`,
    });

    input.progress.step('sending the kubeconfig', 3, 4);
    const { server, caPem } = api.endpoint();
    await input.deliver({
      requestId: access.requestId,
      cluster: access.cluster,
      level: access.level,
      userId: access.requester.id,
      expiresAt: grant.expiresAt as string,
      fileName: `${access.cluster}-${access.level}-${access.requestId.toLowerCase()}.kubeconfig`,
      kubeconfig: accessKubeconfig({
        cluster: access.cluster,
        server,
        caPem,
        user: grant.kubernetesUser,
        certPem,
        keyPem,
      }),
    });
    grant = { ...grant, deliveredAt: input.now().toISOString() };
    await grants.saveLive(grant);
    const message = `${access.requester.name} has ${access.level} on ${access.cluster} for ${formatDuration(access.durationSeconds)}, until ${readableUtc(expiresAt)}; kubeconfig sent by direct message`;
    await input.audit({ action: 'delivered', outcome: message });
    input.progress.step('done', 4, 4);
    logger.info({ expiresAt: grant.expiresAt, level: access.level }, 'temporary access granted');
    return { message, grant };
  } catch (err) {
    const classified = err instanceof AccessNotIssuedError ? err : classifyApiError(err, 'granting access');
    if (input.finalAttempt || classified instanceof UnrecoverableError) {
      await removeBinding(input, grant).catch((cleanupErr: unknown) =>
        logger.error({ err: cleanupErr }, 'could not remove the binding of a failed grant'),
      );
      await grants.end({
        ...grant,
        state: 'failed',
        endedAt: input.now().toISOString(),
        endReason: classified.message,
      });
    }
    throw classified;
  }
}
