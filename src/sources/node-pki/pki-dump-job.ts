import type { V1Job } from '@kubernetes/client-node';
import { pkiDumpScript } from '../pki-dir';

export const PKI_DUMP_CONTAINER = 'pki-dump';
// Where the node's /etc/kubernetes appears inside the pod; the dump prints the node's own paths.
const HOST_ROOT = '/host';
const KUBERNETES_DIR = '/etc/kubernetes';
// kubelet.conf points at the kubelet's rotating client certificate here.
const KUBELET_PKI_DIR = '/var/lib/kubelet/pki';
export const NODE_PKI_DIR = `${KUBERNETES_DIR}/pki`;

export interface PkiDumpJobSpec {
  nodeName: string;
  namespace: string;
  image: string;
}

/**
 * A Job that prints one control-plane node's PKI (certificates only; keys are reported present,
 * never read out) to its log. Pinned to the node, tolerating the control-plane taint, with
 * /etc/kubernetes (and the kubelet's pki folder) mounted read-only, no retries and cleaned up by the TTL controller if we cannot.
 */
export function pkiDumpJob(spec: PkiDumpJobSpec): V1Job {
  const labels = { 'app.kubernetes.io/name': 'certops', 'app.kubernetes.io/component': 'node-pki-scan' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      generateName: 'certops-pki-',
      namespace: spec.namespace,
      labels: { ...labels, 'certops.io/node': spec.nodeName.slice(0, 63) },
    },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: 300,
      activeDeadlineSeconds: 120,
      template: {
        metadata: { labels },
        spec: {
          nodeName: spec.nodeName,
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
          ],
          containers: [
            {
              name: PKI_DUMP_CONTAINER,
              image: spec.image,
              command: ['/bin/sh', '-c', pkiDumpScript(NODE_PKI_DIR, HOST_ROOT)],
              // Root (as owner) only to read the 0600 kubeconfigs; no capabilities, nothing writable.
              securityContext: {
                runAsUser: 0,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
              },
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
              volumeMounts: [
                { name: 'etc-kubernetes', mountPath: `${HOST_ROOT}${KUBERNETES_DIR}`, readOnly: true },
                { name: 'kubelet-pki', mountPath: `${HOST_ROOT}${KUBELET_PKI_DIR}`, readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'etc-kubernetes', hostPath: { path: KUBERNETES_DIR, type: 'Directory' } },
            { name: 'kubelet-pki', hostPath: { path: KUBELET_PKI_DIR, type: 'Directory' } },
          ],
        },
      },
    },
  };
}
