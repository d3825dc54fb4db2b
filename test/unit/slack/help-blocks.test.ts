import { isRequestId } from '../../../src/approvals/request-id';
import type { ClusterConfig } from '../../../src/config/schema';
import { helpBlocks, helpExamples, helpText } from '../../../src/slack/blocks/help';
import { validateBlocks } from '../../../src/sandbox/slack/block-kit-validator';

type HelpCluster = Parameters<typeof helpBlocks>[0][number];
const aks = {
  name: 'aks-prod',
  aks: { resourceGroup: 'rg', name: 'aks-prod' },
  kms: { keyVaultUrl: 'https://kv' },
} as unknown as HelpCluster;
const kubeadm = {
  name: 'kubeadm-prod',
  kubeadm: { enabled: true },
  access: { levels: [{ name: 'view' }] },
} as unknown as HelpCluster;
const bare = { name: 'lab' } as Pick<ClusterConfig, 'name'> as HelpCluster;

function shown(clusters: HelpCluster[]): string {
  return JSON.stringify(helpBlocks(clusters));
}

describe('/certs help from the configuration', () => {
  it.each([
    [
      'an AKS and a kubeadm cluster',
      [aks, kubeadm],
      ['/certs status aks-prod', '/certs rotate aks-rotate-certs aks-prod', '/certs access kubeadm-prod view 1h'],
    ],
    [
      'a kubeadm cluster first',
      [kubeadm, aks],
      ['/certs status kubeadm-prod', '/certs rotate kubeadm-renew kubeadm-prod', '/certs access kubeadm-prod view'],
    ],
    ['a cluster with only re-encryption', [bare], ['/certs status lab', '/certs rotate reencrypt-secrets lab']],
  ])('with %s, every example names a configured cluster and an operation it supports', (_what, clusters, expected) => {
    const text = shown(clusters);
    for (const example of expected) expect(text).toContain(example);
    for (const invented of ['prod-aks', 'prod-kubeadm', '01J9ZK2M']) expect(text).not.toContain(invented);
  });

  it('lists each cluster with the operations it supports, dangerous ones marked', () => {
    const text = shown([aks, kubeadm]);
    expect(text).toContain(
      '`aks-prod`: `aks-rotate-certs (dangerous)`, `kms-rotate-key (dangerous)`, `kms-enable key=&lt;key id&gt; [access=Public|Private] [vault=&lt;vault resource id&gt;] (dangerous)`',
    );
    expect(text).toContain('`kms-disable (dangerous)`, `reencrypt-secrets`\\n');
    expect(text).toContain('`kubeadm-prod`: `kubeadm-renew (dangerous)`, `reencrypt-secrets` · access levels `view`');
  });

  it('shows a request id in the shape real ones have', () => {
    const { requestId } = helpExamples([aks]);
    expect(isRequestId(requestId)).toBe(true);
    expect(helpText([aks])).toContain(`/certs cancel ${requestId}`);
  });

  it('offers no access example where no cluster has access levels', () => {
    expect(helpExamples([aks]).access).toBeUndefined();
    expect(helpText([aks])).toContain('(e.g. /certs access)');
  });

  it('says so when no cluster is configured, and stays valid Block Kit', () => {
    expect(shown([])).toContain('No clusters are configured yet.');
    expect(validateBlocks(helpBlocks([aks, kubeadm], 'frobnicate'), 'message')).toEqual([]);
  });
});
