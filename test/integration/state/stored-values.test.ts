import { AuditLog } from '../../../src/state/audit-log';
import type { ClusterScan } from '../../../src/core/scan';
import { csrGroupStore } from '../../../src/csr/csr-group-message';
import { CsrPostClaims } from '../../../src/state/csr-post-claims';
import { KmsRotationHistory } from '../../../src/state/kms-rotation-history';
import { LatestScanStore } from '../../../src/state/latest-scan';
import { ReencryptionRecords } from '../../../src/state/reencryption-record';
import { RequestMessageMap } from '../../../src/state/request-message-map';
import { SnoozeStore } from '../../../src/state/snooze-store';
import { createLogger, type Logger } from '../../../src/util/logger';
import { summary } from '../../unit/csr/summary-fixture';
import { openTestRedis, type TestRedis } from './redis-fixture';

// Every store reads back what it wrote through a schema: a value of another shape (another version, a hand edit)
// reads as absent and is logged, instead of reaching the code that uses it.

let t: TestRedis;
beforeAll(async () => {
  t = await openTestRedis('stored-values');
});
afterAll(async () => {
  await t.cleanup();
});

function recordingLogger(): { logger: Logger; warnings: () => Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, warnings: () => lines.filter((l) => l.level === 40) };
}

const NOT_JSON = '{"cut off';
const WRONG_SHAPE = '{"version":7}';

interface Case {
  store: string;
  /** Writes `value` where the store keeps its record, as another writer might have. */
  plant(prefix: string, value: string): Promise<unknown>;
  /** Reads it back through the store: what a reader gets for the planted value. */
  read(prefix: string, logger: Logger): Promise<unknown>;
  /** What a reader gets for a value the store cannot read. */
  absent: unknown;
  /** JSON this store would not have written (default: an object without the store's fields). */
  wrongShape?: string;
}

const cases: Case[] = [
  {
    store: 'snooze',
    plant: (p, v) => t.redis.set(`${p}:expiry-snooze:subject-1`, v),
    read: (p, logger) => new SnoozeStore(t.redis, p, logger).get('subject-1'),
    absent: undefined,
  },
  {
    store: 'latest scan (one cluster)',
    plant: (p, v) => t.redis.hset(`${p}:latest-scan`, 'prod', v),
    read: (p, logger) => new LatestScanStore(t.redis, p, logger).get('prod'),
    absent: undefined,
  },
  {
    store: 'latest scan (every cluster)',
    plant: (p, v) => t.redis.hset(`${p}:latest-scan`, 'prod', v),
    read: async (p, logger) => (await new LatestScanStore(t.redis, p, logger).all()).map((s) => s.scan.cluster),
    absent: [],
  },
  {
    store: 'KMS rotation history',
    plant: (p, v) => t.redis.rpush(`${p}:kms-history:prod`, v),
    read: (p, logger) => new KmsRotationHistory(t.redis, p, logger).list('prod'),
    absent: [],
  },
  {
    store: 're-encryption record',
    plant: (p, v) => t.redis.set(`${p}:reencrypted:prod`, v),
    read: (p, logger) => new ReencryptionRecords(t.redis, p, logger).latest('prod'),
    absent: undefined,
  },
  {
    store: 'request card',
    plant: (p, v) => t.redis.set(`${p}:request-message:R-1`, v),
    read: (p, logger) => new RequestMessageMap(t.redis, p, logger).get('R-1'),
    absent: undefined,
  },
  {
    // An unreadable "about to post" mark is not absent: it still says a post may have happened.
    store: 'CSR post claim',
    plant: (p, v) => t.redis.set(`${p}:csr-posting:uid-1`, v),
    read: async (p, logger) =>
      Object.fromEntries(
        await new CsrPostClaims(t.redis, p, logger).claim(['uid-1'], 'bot-2', new Date('2026-12-05T10:00:00Z')),
      ),
    absent: { 'uid-1': { owner: 'unknown', at: 'unknown' } },
  },
  {
    store: 'grouped CSR message',
    plant: (p, v) => t.redis.hset(`${p}:csr-group:G-1`, 'meta', v),
    read: (p, logger) => csrGroupStore(t.redis, p, logger).get('G-1'),
    absent: undefined,
  },
  {
    // The message is redrawn from the members that can be read.
    store: 'grouped CSR message member',
    plant: (p, v) =>
      t.redis.hset(
        `${p}:csr-group:G-1`,
        'meta',
        JSON.stringify({ id: 'G-1', kind: 'burst', cluster: 'prod', channel: 'C1', ts: '1.2' }),
        'm:uid-1',
        v,
      ),
    read: async (p, logger) => (await csrGroupStore(t.redis, p, logger).get('G-1'))?.members,
    absent: [],
  },
  {
    // The entry still shows; only its parameters are left out.
    store: 'audit entry parameters',
    plant: (p, v) => t.redis.xadd(`${p}:audit`, '*', 'type', 'request', 'action', 'rotate', 'params', v),
    read: async (p, logger) =>
      (await new AuditLog(t.redis, { prefix: p, logger, retentionSeconds: 86400 }).latest(1)).map((r) => ({
        action: r.action,
        params: r.params,
      })),
    absent: [{ action: 'rotate', params: undefined }],
    wrongShape: '["rotate"]',
  },
];

describe('a stored value another version wrote', () => {
  let n = 0;
  describe.each(cases)('$store', ({ plant, read, absent, wrongShape }) => {
    it.each([
      ['not JSON', NOT_JSON],
      ['JSON of another shape', wrongShape ?? WRONG_SHAPE],
    ])('%s reads as absent, with a warning naming the key', async (_what, value) => {
      const prefix = `${t.prefix}:${++n}`;
      await plant(prefix, value);
      const { logger, warnings } = recordingLogger();
      expect(await read(prefix, logger)).toEqual(absent);
      expect(warnings()).toEqual([expect.objectContaining({ key: expect.stringContaining(prefix) })]);
    });
  });
});

describe('the latest scan', () => {
  it('reads back every field it wrote, the optional ones included', async () => {
    const scan: ClusterScan = {
      cluster: 'prod',
      certificates: [
        {
          name: 'apiserver',
          source: 'pki-dir',
          locations: ['/etc/kubernetes/pki/apiserver.crt'],
          subject: 'CN=kube-apiserver',
          subjectCN: 'kube-apiserver',
          issuer: 'CN=kubernetes',
          issuerCN: 'kubernetes',
          serialNumber: '0a',
          notBefore: new Date('2026-01-01T00:00:00.000Z'),
          notAfter: new Date('2027-01-01T00:00:00.000Z'),
          isCA: false,
          dnsNames: ['kubernetes'],
          ipAddresses: ['10.0.0.1'],
          fingerprint256: 'ab',
          authorityKeyId: 'aa',
          subjectKeyId: 'bb',
          cluster: 'prod',
          externallyManaged: true,
          certificateAuthority: 'ca',
        },
      ],
      keys: [
        {
          cluster: 'prod',
          keyId: 'https://vault.example/keys/etcd/2',
          version: '2',
          expiresOn: null,
          status: 'ok',
          inUse: true,
          newerVersion: false,
          keyName: 'etcd',
          rotationPolicy: null,
          kubernetesVersion: '1.29.4',
          enabledVersions: ['1', '2'],
        },
      ],
      errors: [{ source: 'endpoints', reason: 'unreachable', location: 'api:443', message: 'timed out' }],
      durationSeconds: 1.5,
    };
    const { logger, warnings } = recordingLogger();
    const store = new LatestScanStore(t.redis, `${t.prefix}:full`, logger);
    const at = new Date('2026-12-05T10:00:00.000Z');
    await store.put(scan, at);
    expect(await store.get('prod')).toEqual({ scan, at });
    expect(warnings()).toEqual([]);
  });
});

describe('a grouped CSR message', () => {
  it('reads back every field of its members and its progress, the optional ones included', async () => {
    const member = summary({
      expirationSeconds: 3600,
      nameProofs: [
        { kind: 'DNS', name: 'worker-1', proof: 'worker-*', inNodeStatus: true, conflict: 'the API server' },
      ],
      nodeStatus: [{ type: 'InternalIP', address: '10.0.0.5' }],
      findings: [{ code: 'names', severity: 'warning', message: 'unproven' }],
      state: 'approved',
      decision: { type: 'Approved', reason: 'certops', message: 'by @oscar' },
      failure: { type: 'Failed', reason: 'SignerValidationFailure', message: 'no' },
      certificateNotAfter: '2031-01-01T00:00:00.000Z',
      selfApprovedBy: 'AKS',
    });
    const { logger, warnings } = recordingLogger();
    const groups = csrGroupStore(t.redis, `${t.prefix}:group`, logger);
    const meta = { id: 'G-2', kind: 'burst' as const, cluster: 'prod', channel: 'C1', ts: '1.2' };
    await groups.create(meta, [member]);
    await groups.setProgress('G-2', { byUserId: 'U0OSCAR', done: 1, total: 2, failed: 0 });
    expect(await groups.get('G-2')).toEqual({
      meta,
      members: [member],
      progress: { byUserId: 'U0OSCAR', done: 1, total: 2, failed: 0 },
    });
    expect(warnings()).toEqual([]);
  });
});
