import { type ContainerServiceClient, restorePoller } from '@azure/arm-containerservice';
import type { ClusterConfig } from '../config/schema';
import type { Logger } from '../util/logger';
import { ArmOperationFailedError } from './errors/arm-operation-failed-error';
import { apiCall, classifyApiError } from './errors/classify-api-error';
import { PermanentApiError } from './errors/permanent-api-error';
import { type CredentialFingerprint, credentialFingerprintSchema, kubeconfigFingerprint } from './kubeconfig-ca';
import type { ProgressReporter } from './progress-reporter';
import { readResumeJson, type ResumeState } from './resume-state';
import type { StepBoundary } from './step-boundary';
import { readableUtc } from '../util/slack-date';

export interface AksRotationSummary {
  cluster: string;
  before: CredentialFingerprint;
  after: CredentialFingerprint;
  resumed: boolean;
  message: string;
}

export interface RotateAksCertificatesInput {
  cluster: ClusterConfig;
  client: ContainerServiceClient;
  resume: ResumeState;
  progress: ProgressReporter;
  logger: Logger;
  pollIntervalMs?: number;
  /** Where the job may stop: before the rotation is sent to Azure (once sent, it runs to the end). */
  boundary?: StepBoundary;
  /** Receives the user kubeconfig fetched after the rotation, so certops' own client trusts the new CA. */
  onFreshCredentials?: (kubeconfigYaml: string) => void;
}

const POLLER_KEY = 'aksRotatePoller';
const BEFORE_KEY = 'aksRotateBefore';
/** Set just before the POST: a poller missing after it means the worker died between the POST and saving it. */
const SUBMITTING_KEY = 'aksRotateSubmitting';
const TERMINAL_STATES = new Set(['succeeded', 'failed', 'canceled']);

/**
 * Rotates an AKS cluster's certificates. The poller state is saved right after the POST is accepted, so a job that
 * runs again follows the same operation instead of starting a second rotation; a worker that died before it could
 * save the poller leaves a marker, and the next one asks the cluster what became of that POST before sending another.
 */
export async function rotateAksCertificates(input: RotateAksCertificatesInput): Promise<AksRotationSummary> {
  const { cluster, client, resume, progress } = input;
  const aks = requireAks(cluster);

  let before: CredentialFingerprint | undefined = readResumeJson(resume, BEFORE_KEY, credentialFingerprintSchema);
  if (!before) {
    progress.step('reading current credentials', 0, 3);
    before = kubeconfigFingerprint(await fetchUserKubeconfig(client, aks.resourceGroup, aks.name));
    await resume.set(BEFORE_KEY, JSON.stringify(before));
  }

  const saved = resume.get(POLLER_KEY);
  const unsavedSubmission = !saved && resume.get(SUBMITTING_KEY) !== undefined;
  if (!saved && !unsavedSubmission) await input.boundary?.();
  const rotatedEarlier = unsavedSubmission && (await earlierSubmissionRotated(input, before));
  if (!rotatedEarlier) await runRotation(input, saved);

  progress.step('fetching fresh credentials', 2, 3);
  const fresh = await fetchUserKubeconfig(client, aks.resourceGroup, aks.name);
  const after = kubeconfigFingerprint(fresh);
  input.onFreshCredentials?.(fresh);
  if (after.caFingerprint === before.caFingerprint) {
    throw new PermanentApiError(
      `Azure reported the rotation of ${cluster.name} as succeeded but the cluster CA did not change (${after.caFingerprint}); check the cluster before trying again`,
    );
  }
  const message = `certificates of ${cluster.name} rotated; new CA expires ${readableUtc(new Date(after.caExpiresOn))}. Fetch credentials again: old kubeconfigs fail with "x509: certificate signed by unknown authority".`;
  return { cluster: cluster.name, before, after, resumed: Boolean(saved) || unsavedSubmission, message };
}

/** Sends the rotation (or follows the saved one) and waits until ARM reports it finished. */
async function runRotation(input: RotateAksCertificatesInput, saved: string | undefined): Promise<void> {
  const { cluster, client, resume, progress } = input;
  const aks = requireAks(cluster);
  const options = { updateIntervalInMs: input.pollIntervalMs ?? 10_000 };
  if (!saved) await resume.set(SUBMITTING_KEY, new Date().toISOString());
  const poller = saved
    ? restorePoller(client, saved, client.managedClusters.rotateClusterCertificates, options)
    : client.managedClusters.rotateClusterCertificates(aks.resourceGroup, aks.name, options);
  try {
    if (!saved) {
      progress.step('submitting rotation to Azure', 1, 3);
      await poller.submitted();
      await resume.set(POLLER_KEY, await poller.serialize());
      input.logger.info({ cluster: cluster.name }, 'AKS certificate rotation accepted by ARM');
    }
    progress.step('waiting for Azure to rotate (the API server may be unreachable for up to 30 minutes)', 1, 3);
    await poller.pollUntilDone();
  } catch (err) {
    const status = poller.operationState?.status;
    if (status === 'failed' || status === 'canceled') {
      throw new ArmOperationFailedError('rotate-certs', cluster.name, poller.operationState?.error?.message ?? status);
    }
    throw classifyApiError(err, `rotating certificates of ${cluster.name}`);
  }
}

/**
 * Whether a POST sent by a worker that died before saving its poller rotated the certificates: waits while the
 * cluster is busy (that operation, most likely), then compares the CA. False means no rotation happened and it is
 * safe to send one; a cluster left Failed or Canceled is for a person to look at, not for a blind second POST.
 */
async function earlierSubmissionRotated(
  input: RotateAksCertificatesInput,
  before: CredentialFingerprint,
): Promise<boolean> {
  const { cluster, client, progress } = input;
  const aks = requireAks(cluster);
  progress.step('checking whether Azure received the rotation sent before the previous worker stopped', 1, 3);
  for (;;) {
    const managed = await apiCall(
      () => client.managedClusters.get(aks.resourceGroup, aks.name),
      `reading the state of ${cluster.name}`,
    );
    const state = (managed.provisioningState ?? 'Succeeded').toLowerCase();
    if (state === 'failed' || state === 'canceled') {
      throw new ArmOperationFailedError(
        'rotate-certs',
        cluster.name,
        `the cluster is ${managed.provisioningState} after a rotation whose outcome was not recorded`,
      );
    }
    if (TERMINAL_STATES.has(state)) break;
    await new Promise((resolve) => setTimeout(resolve, input.pollIntervalMs ?? 10_000));
  }
  const now = kubeconfigFingerprint(await fetchUserKubeconfig(client, aks.resourceGroup, aks.name));
  return now.caFingerprint !== before.caFingerprint;
}

export function requireAks(cluster: ClusterConfig): NonNullable<ClusterConfig['aks']> {
  if (!cluster.aks) throw new PermanentApiError(`cluster ${cluster.name} has no aks section in the configuration`);
  return cluster.aks;
}

async function fetchUserKubeconfig(
  client: ContainerServiceClient,
  resourceGroup: string,
  name: string,
): Promise<string> {
  const credentials = await apiCall(
    () => client.managedClusters.listClusterUserCredentials(resourceGroup, name),
    `fetching user credentials of ${name}`,
  );
  const first = credentials.kubeconfigs?.[0]?.value;
  if (!first) throw new PermanentApiError(`Azure returned no kubeconfig for ${name}`);
  return Buffer.from(first).toString('utf8');
}
