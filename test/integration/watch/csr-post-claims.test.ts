import { WebClient } from '@slack/web-api';
import { configSchema } from '../../../src/config/schema';
import { clusterCsrApi } from '../../../src/csr/cluster-csr-api';
import { CsrCards } from '../../../src/csr/csr-cards';
import { csrGroupStore } from '../../../src/csr/csr-group-message';
import { CsrPostClaims } from '../../../src/state/csr-post-claims';
import { CsrReconciler } from '../../../src/csr/csr-reconciler';
import { OpenCsrIndex } from '../../../src/state/open-csr-index';
import { KubeSim } from '../../../src/sandbox/kube';
import { SlackSim } from '../../../src/sandbox/slack';
import { Notifier } from '../../../src/slack/notifier/notifier';
import { ApprovalStore } from '../../../src/state/approval-store';
import { CsrMessageMap } from '../../../src/state/csr-message-map';
import { silentLogger } from '../../../src/util/logger';
import { openTestRedis, type TestRedis } from '../state/redis-fixture';
import { createClientCsr, csrApi, simKubeConfig } from './helpers';

const CHANNEL = 'C0CLAIMS';
const AT = new Date('2030-01-01T00:00:00Z');

describe('posting marks: a post interrupted before it was recorded is noticed', () => {
  let kube: KubeSim;
  let slack: SlackSim;
  let testRedis: TestRedis;
  let claims: CsrPostClaims;

  beforeEach(async () => {
    kube = await KubeSim.start();
    slack = await SlackSim.start({ rateLimit: { enabled: false } });
    slack.addChannel({ id: CHANNEL, name: 'claims' });
    testRedis = await openTestRedis('csr-post-claims');
    claims = new CsrPostClaims(testRedis.redis, testRedis.prefix, silentLogger());
  });
  afterEach(async () => {
    await testRedis.cleanup();
    await slack.stop();
    await kube.stop();
  });

  function reconciler(): { reconciler: CsrReconciler; notifier: Notifier; messages: CsrMessageMap } {
    const config = configSchema.parse({ clusters: [{ name: 'sim', kubeconfig: '/unused', channel: CHANNEL }] });
    const cluster = config.clusters[0] as (typeof config.clusters)[number];
    const { redis, prefix } = testRedis;
    const notifier = new Notifier(
      new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true }),
      { logger: silentLogger(), minIntervalMs: 0 },
    );
    const deps = {
      csrMessages: new CsrMessageMap(redis, prefix),
      groups: csrGroupStore(redis, prefix, silentLogger()),
      openIndex: new OpenCsrIndex(redis, prefix),
    };
    const cards = new CsrCards({ ...deps, notifier, approvals: new ApprovalStore(redis, { prefix }), now: () => AT });
    const instance = new CsrReconciler({
      ...deps,
      api: clusterCsrApi(cluster, CHANNEL, simKubeConfig(kube)),
      config,
      cards,
      notifier,
      logger: silentLogger(),
      autoApprove: () => Promise.resolve(false),
      postClaims: { claims, owner: 'this-leader', now: () => AT },
      timers: { setTimeout: () => undefined, clearTimeout: () => undefined },
    });
    return { reconciler: instance, notifier, messages: deps.csrMessages };
  }

  /** One leader's pass over the CSR: it sees it in a list, the burst window closes, the card goes out. */
  async function postThrough(name: string): Promise<CsrMessageMap> {
    const { reconciler: r, notifier, messages } = reconciler();
    await r.synced([await csrApi(kube).readCertificateSigningRequest({ name })]);
    await r.flush();
    await notifier.idle();
    return messages;
  }

  it('returns the mark an earlier poster left, and nothing once it is cleared', async () => {
    expect(await claims.claim(['u1'], 'leader-a', AT)).toEqual(new Map());
    expect(await claims.claim(['u1', 'u2'], 'leader-b', AT)).toEqual(
      new Map([['u1', { owner: 'leader-a', at: AT.toISOString() }]]),
    );
    await claims.clear(['u1', 'u2']);
    expect(await claims.claim(['u1'], 'leader-c', AT)).toEqual(new Map());
  });

  it('says on the card that an earlier copy may exist when the previous leader died between posting and recording', async () => {
    const api = csrApi(kube);
    const uid = await createClientCsr(api, 'half-posted');
    // What a leader killed after chat.postMessage but before recording leaves behind: its mark, no record.
    await claims.claim([uid], 'killed-leader', AT);
    const messages = await postThrough('half-posted');

    const posted = slack.messages(CHANNEL);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.blocks)).toContain('could not tell whether that post reached Slack');
    expect((await messages.get(uid))?.ts).toBe(posted[0]?.ts);
    // Recorded: the mark is gone, so the next poster sees nothing suspicious.
    expect(await claims.claim([uid], 'next', AT)).toEqual(new Map());
  });

  it('posts a card without that note when no earlier post was interrupted', async () => {
    await createClientCsr(csrApi(kube), 'clean');
    await postThrough('clean');
    const posted = slack.messages(CHANNEL);
    expect(posted).toHaveLength(1);
    expect(JSON.stringify(posted[0]?.blocks)).toContain('CSR clean on sim');
    expect(JSON.stringify(posted[0]?.blocks)).not.toContain('could not tell whether');
  });
});
