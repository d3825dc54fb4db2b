import type { Simulators } from '../harness/simulators';
import { APPROVER_GROUP, CHANNELS, PERSONAS } from './personas';
import { AKS } from './story';

export interface DemoConfigInput {
  sims: Simulators;
  aksKubeconfigPath: string;
  redisUrl: string;
  redisPrefix: string;
}

export const KUBEADM_CLUSTER = 'kubeadm-prod';
export const AKS_CLUSTER = 'aks-prod';

/** The configuration certops runs with in the demo: two clusters, four people, Socket Mode. */
export function demoConfig(input: DemoConfigInput): Record<string, unknown> {
  const { sims } = input;
  return {
    slack: {
      mode: 'socket',
      defaultChannel: CHANNELS.ops.id,
      roles: {
        // The guest is listed as an operator on purpose: a restricted account is refused anyway.
        operators: [PERSONAS.operator.id, PERSONAS.guest.id],
        approvers: [PERSONAS.approver.id, `@${APPROVER_GROUP.handle}`],
      },
    },
    redis: { url: input.redisUrl, prefix: input.redisPrefix },
    // CSRs from different nodes arrive seconds apart; each gets its own card. The workers' names and their
    // subnet are what prove a serving certificate's names: the Node's status is the kubelet's own word.
    csr: { burstWindow: '1s', dnsPatterns: ['worker-*'], ipPrefixes: ['10.0.1.0/24'] },
    // Kubelets are machines: no person stands behind system:nodes, so their risky CSRs need the usual two.
    identities: { groups: { 'system:nodes': [] } },
    approvals: { lifetime: '1h' },
    clusters: [
      {
        name: KUBEADM_CLUSTER,
        kubeconfig: sims.kubeconfigPath,
        channel: CHANNELS.ops.id,
        kubeadm: { enabled: true, namespace: 'certops' },
      },
      {
        name: AKS_CLUSTER,
        kubeconfig: input.aksKubeconfigPath,
        channel: CHANNELS.aks.id,
        aks: {
          subscriptionId: sims.azure.subscriptionId,
          resourceGroup: AKS.resourceGroup,
          name: AKS.name,
          armEndpoint: sims.azure.armEndpoint,
        },
        kms: { keyVaultUrl: sims.azure.keyVaultUrl, keyName: AKS.keyName },
      },
    ],
  };
}
