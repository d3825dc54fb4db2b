import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { WebClient } from '@slack/web-api';
import { Registry } from 'prom-client';
import { sweepAccess } from '../../../src/access/access-sweeper';
import { accessBindingsApi } from '../../../src/access/access-bindings-api';
import { parseConfig } from '../../../src/config/load';
import { ACCESS_EXPIRES_LABEL, ACCESS_REQUEST_LABEL } from '../../../src/core/access';
import { accessClusterApi } from '../../../src/operations/access/access-cluster-api';
import { grantAccess, type AccessDelivery } from '../../../src/operations/access/grant-access';
import { silentProgress } from '../../../src/operations/progress-reporter';
import type { KubeSim } from '../../../src/sandbox/kube';
import { createBotContext, type BotContext } from '../../../src/service/bot-context';
import { accessDeps } from '../../../src/service/access-deps';
import { silentLogger } from '../../../src/util/logger';
import { kubeConfigFor, startSim } from '../../sandbox/kube/helpers';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (err) {
    return (err as { code?: number }).code ?? 0;
  }
}

const strayBinding = (name: string, labels: Record<string, string>) => ({
  metadata: { name, labels },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
  subjects: [
    {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Group',
      name: `certops:access:${labels[ACCESS_REQUEST_LABEL] ?? 'x'}`,
    },
  ],
});

describe('the access sweep: expiry and strays end in the cluster', () => {
  let sim: KubeSim;
  let redis: TestRedis;
  let ctx: BotContext;
  let now = new Date();

  beforeAll(async () => {
    sim = await startSim();
    redis = await openTestRedis('access-sweep');
    const config = parseConfig(
      {
        redis: { prefix: redis.prefix },
        clusters: [
          {
            name: 'prod',
            kubeconfig: '/unused',
            channel: 'C0123ABCD',
            access: { levels: [{ name: 'view', clusterRole: 'view' }] },
          },
        ],
      },
      'certops.yaml',
      {},
    );
    const api = accessBindingsApi(kubeConfigFor(sim));
    ctx = createBotContext({
      config,
      logger: silentLogger(),
      redis: redis.redis,
      metrics: new Registry(),
      slack: new WebClient('xoxb-unused'),
      now: () => now,
      accessBindings: () => api,
    });
  });
  afterAll(async () => {
    await ctx.executor.close();
    await sim.stop();
    await redis.cleanup();
  });

  it('deletes the binding when the grant expires, audits it, and the delivered kubeconfig is refused from then on', async () => {
    now = new Date();
    const delivered: AccessDelivery[] = [];
    const { grant } = await grantAccess({
      access: {
        requestId: 'RSWEEP0001',
        cluster: 'prod',
        level: 'view',
        roleRef: { kind: 'ClusterRole', name: 'view' },
        durationSeconds: 900,
        requester: { id: 'U0RITA', name: 'rita' },
        approvers: ['alice', 'bob'],
      },
      api: accessClusterApi(kubeConfigFor(sim)),
      grants: ctx.accessGrants,
      deliver: (d) => {
        delivered.push(d);
        return Promise.resolve();
      },
      audit: () => Promise.resolve(),
      progress: silentProgress,
      logger: silentLogger(),
      now: () => new Date(),
      issueTimeoutMs: 5_000,
      finalAttempt: false,
    });
    const kc = new KubeConfig();
    kc.loadFromString((delivered[0] as AccessDelivery).kubeconfig);
    const pods = kc.makeApiClient(CoreV1Api);
    expect(await status(pods.listNamespacedPod({ namespace: 'default' }))).toBe(200);

    expect(await sweepAccess(accessDeps(ctx))).toEqual({ expired: 0, strays: 0 });
    expect(sim.store.clusterRoleBindings.get('certops-access-rsweep0001')).toBeDefined();

    now = new Date(Date.parse(grant.expiresAt ?? '') + 1000);
    expect(await sweepAccess(accessDeps(ctx))).toEqual({ expired: 1, strays: 0 });
    expect(sim.store.clusterRoleBindings.get('certops-access-rsweep0001')).toBeUndefined();
    expect(await ctx.accessGrants.get('RSWEEP0001')).toMatchObject({ state: 'revoked', endReason: 'expired' });
    expect(await ctx.accessGrants.listLive()).toEqual([]);
    const [entry] = await ctx.audit.latest(1);
    expect(entry).toMatchObject({ type: 'access-revoke', action: 'expired', requestId: 'RSWEEP0001' });
    expect(entry?.outcome).toContain('ClusterRoleBinding certops-access-rsweep0001 deleted; certops:U0RITA had view');
    // The certificate is still valid (it cannot be revoked), but its group may do nothing now.
    expect(await status(pods.listNamespacedPod({ namespace: 'default' }))).toBe(403);
  });

  it('after a restart finds bindings Redis does not know (past expiry, or no readable expiry) and deletes them, keeping live ones', async () => {
    now = new Date();
    const admin = kubeConfigFor(sim);
    const rbac = admin.makeApiClient(RbacAuthorizationV1Api);
    const past = String(Math.floor(now.getTime() / 1000) - 60);
    const future = String(Math.floor(now.getTime() / 1000) + 3600);
    await rbac.createClusterRoleBinding({
      body: strayBinding('certops-access-rstray0001', {
        [ACCESS_REQUEST_LABEL]: 'RSTRAY0001',
        [ACCESS_EXPIRES_LABEL]: past,
      }),
    });
    await rbac.createClusterRoleBinding({
      body: strayBinding('certops-access-rstray0002', { [ACCESS_REQUEST_LABEL]: 'RSTRAY0002' }),
    });
    await rbac.createClusterRoleBinding({
      body: strayBinding('certops-access-rstray0003', {
        [ACCESS_REQUEST_LABEL]: 'RSTRAY0003',
        [ACCESS_EXPIRES_LABEL]: future,
      }),
    });
    expect(await sweepAccess(accessDeps(ctx))).toEqual({ expired: 0, strays: 2 });
    expect(
      sim.store.clusterRoleBindings
        .list()
        .map((b) => b.metadata.name)
        .filter((n) => n?.startsWith('certops-access-rstray')),
    ).toEqual(['certops-access-rstray0003']);
  });
});
