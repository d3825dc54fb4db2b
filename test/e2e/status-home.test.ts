import { Redis } from 'ioredis';
import { LatestScanStore } from '../../src/state/latest-scan';
import { OPS_CHANNEL, REDIS_URL, USERS, startE2eStack, type E2eStack } from '../helpers/e2e-stack';
import { cert, scan } from '../unit/digest/fixtures';
import { silentLogger } from '../../src/util/logger';

const DAY = 86_400_000;

describe('/certs status, /certs expiring and the Home tab, from the latest scan', () => {
  let stack: E2eStack;
  let redis: Redis;

  beforeAll(async () => {
    stack = await startE2eStack({ mode: 'http' });
    redis = new Redis(REDIS_URL);
    const store = new LatestScanStore(redis, stack.prefix, silentLogger());
    // The leader's monitor scans once right after start; seed after it so ours is the latest scan.
    for (let i = 0; i < 100 && !(await store.get('sim')); i++) await new Promise((r) => setTimeout(r, 100));
    const now = Date.now();
    const at = (days: number) => ({ notAfter: new Date(now + days * DAY) });
    await store.put(
      scan('sim', [
        cert('old-webhook', 0, at(-2)),
        cert('etcd-peer', 0, at(3)),
        cert('ingress-tls', 0, at(12)),
        cert('api-tls', 0, at(200)),
        cert('other', 0, at(300)),
      ]),
      new Date(now - 2 * 3600_000),
    );
  });

  afterAll(async () => {
    await redis?.quit();
    await stack?.stop();
  });

  const ask = async (user: string, text: string) => {
    const before = stack.sims.slack.ephemerals(OPS_CHANNEL, user).length;
    await stack.driver.slashCommand({ userId: user, channelId: OPS_CHANNEL, text });
    return stack.sims.slack.waitFor(() => stack.sims.slack.ephemerals(OPS_CHANNEL, user)[before]);
  };

  it('status gives the counts by status and the age of the scan', async () => {
    const answer = JSON.stringify((await ask(USERS.operator.id, 'status')).blocks);
    expect(answer).toContain(
      ':red_circle: 1 expired · :large_orange_circle: 1 critical · :large_yellow_circle: 1 warning · :large_green_circle: 2 ok',
    );
    expect(answer).toContain('latest scan 2h ago');
    expect(answer).toContain('*old-webhook* expired 2d ago');
  });

  it('expiring lists what expires within the window, soonest first', async () => {
    const answer = JSON.stringify((await ask(USERS.operator.id, 'expiring within 5d sim')).blocks);
    expect(answer).toContain('2 certificates expire within 5 days');
    expect(answer.indexOf('old-webhook')).toBeLessThan(answer.indexOf('etcd-peer'));
    expect(answer).not.toContain('ingress-tls');
  });

  it('expiring refuses an unknown cluster with the usage', async () => {
    const answer = await ask(USERS.operator.id, 'expiring nowhere');
    expect(answer.text).toContain('`nowhere` is not a configured cluster');
  });

  it('the Home tab shows the cluster overview', async () => {
    await stack.driver.appHomeOpened({ userId: USERS.approver1.id });
    const home = await stack.sims.slack.waitFor(() => stack.sims.slack.homeTab(USERS.approver1.id));
    const text = JSON.stringify(home);
    expect(text).toContain('*sim* · latest scan 2h ago');
    expect(text).toContain(
      ':red_circle: 1 expired · :large_orange_circle: 1 critical · :large_yellow_circle: 1 warning · :large_green_circle: 2 ok',
    );
    expect(text).toContain('*Pending CSRs*\\n0');
    expect(text).toContain('*Pending approval requests*\\n0');
    expect(text).toContain('*Jobs*\\nnone');
  });

  it('status --refresh scans the cluster now and stores it as the latest scan', async () => {
    const answer = JSON.stringify((await ask(USERS.operator.id, 'status sim --refresh')).blocks);
    expect(answer).toContain('scanned just now');
    const latest = await new LatestScanStore(redis, stack.prefix, silentLogger()).get('sim');
    expect(latest?.scan.certificates.some((c) => c.name === 'old-webhook')).toBe(false);
  });
});
