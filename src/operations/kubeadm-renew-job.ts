import type { V1Job } from '@kubernetes/client-node';

const MANIFESTS = '/etc/kubernetes/manifests';
const PAUSED = '/etc/kubernetes/manifests-certops-paused';

// The documented restart of static pods: take the manifests away, wait past the kubelet's 20 s file check so it
// stops the pods, put them back, then wait until this node's API server answers again.
const RENEW_SCRIPT = [
  'set -eu',
  'kubeadm certs renew all',
  `mkdir -p ${PAUSED}`,
  `mv ${MANIFESTS}/*.yaml ${PAUSED}/`,
  'sleep 25',
  `mv ${PAUSED}/*.yaml ${MANIFESTS}/`,
  'for i in $(seq 1 120); do',
  '  if curl -ksf https://127.0.0.1:6443/livez >/dev/null 2>&1; then break; fi',
  '  if [ "$i" = 120 ]; then echo "kube-apiserver did not answer healthy after the restart" >&2; exit 1; fi',
  '  sleep 2',
  'done',
  'kubeadm certs check-expiration',
].join('\n');

export interface RenewJobSpec {
  name: string;
  namespace: string;
  node: string;
  image: string;
  requestId: string;
}

/** A privileged Job pinned to one control-plane node that renews its kubeadm certificates inside the host. */
export function kubeadmRenewJob(spec: RenewJobSpec): V1Job {
  const labels = {
    'app.kubernetes.io/managed-by': 'certops',
    'certops.io/request': spec.requestId,
    'certops.io/node': spec.node,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: spec.name, namespace: spec.namespace, labels },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels },
        spec: {
          nodeName: spec.node,
          hostPID: true,
          restartPolicy: 'Never',
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'renew',
              image: spec.image,
              securityContext: { privileged: true },
              command: ['nsenter', '-t', '1', '-m', '-u', '-i', '-n', '--', 'sh', '-c', RENEW_SCRIPT],
            },
          ],
        },
      },
    },
  };
}
