import { claimCrossings, reachedThresholds } from '../../../src/expiry/crossings';
import { expirySubjects } from '../../../src/expiry/expiry-subject';
import type { ClusterScan } from '../../../src/sources/cluster-inventory';
import { cert, inDays, kmsKey, MemoryLedger, NOW, THRESHOLDS } from './fixtures';

function scanOf(partial: Partial<ClusterScan>): ClusterScan {
  return { cluster: 'prod', certificates: [], keys: [], errors: [], durationSeconds: 1, ...partial };
}

/** Announcements of one certificate over successive scans, as (days left at each scan) → thresholds posted. */
async function announcements(
  daysLeftPerScan: number[],
  setup: (ledger: MemoryLedger) => void = () => {},
): Promise<Array<string | null>> {
  const ledger = new MemoryLedger();
  setup(ledger);
  const notAfter = inDays(0);
  const posted: Array<string | null> = [];
  for (const daysLeft of daysLeftPerScan) {
    const now = inDays(-daysLeft);
    const crossings = await claimCrossings(
      expirySubjects(scanOf({ certificates: [cert('web', notAfter)] }), now, THRESHOLDS),
      ledger,
    );
    posted.push(crossings[0]?.threshold ?? null);
  }
  return posted;
}

describe('expiry threshold crossings', () => {
  it.each([
    ['first seen with plenty of time left: nothing', [90], [null]],
    ['first seen inside the warning window: one warning', [20], ['warning']],
    ['first seen inside the critical window: one critical, no warning before it', [5], ['critical']],
    ['first seen expired: one expired', [-2], ['expired']],
    [
      'approaching over time: warning, then critical, then expired, each once',
      [40, 25, 20, 6, 3, 0, -1],
      [null, 'warning', null, 'critical', null, 'expired', null],
    ],
    ['the same threshold on every scan is announced once', [5, 5, 4, 3], ['critical', null, null, null]],
    ['after critical, a less urgent status is never announced (thresholds changed)', [5, 20], ['critical', null]],
  ])('%s', async (_name, days, expected) => {
    expect(await announcements(days)).toEqual(expected);
  });

  it('skips a snoozed certificate without claiming, so its threshold is announced once the snooze ends', async () => {
    const ledger = new MemoryLedger();
    const subjects = expirySubjects(scanOf({ certificates: [cert('web', inDays(5))] }), NOW, THRESHOLDS);
    ledger.snoozed.add(subjects[0]?.id as string);
    expect(await claimCrossings(subjects, ledger)).toEqual([]);
    ledger.snoozed.clear();
    expect((await claimCrossings(subjects, ledger)).map((c) => c.threshold)).toEqual(['critical']);
  });

  it('treats a renewed certificate (new fingerprint) as a new subject', async () => {
    const ledger = new MemoryLedger();
    const old = cert('web', inDays(5));
    await claimCrossings(expirySubjects(scanOf({ certificates: [old] }), NOW, THRESHOLDS), ledger);
    const renewed = cert('web', inDays(20), { fingerprint256: 'f'.repeat(64) });
    const crossings = await claimCrossings(
      expirySubjects(scanOf({ certificates: [renewed] }), NOW, THRESHOLDS),
      ledger,
    );
    expect(crossings.map((c) => c.threshold)).toEqual(['warning']);
  });

  it('announces the in-use KMS key version, not an old version or one without expiry', async () => {
    const ledger = new MemoryLedger();
    const keys = [
      kmsKey(inDays(3)),
      kmsKey(inDays(1), { version: 'v1', inUse: false }),
      kmsKey(inDays(1), { version: 'v3', expiresOn: null }),
    ];
    const crossings = await claimCrossings(expirySubjects(scanOf({ keys }), NOW, THRESHOLDS), ledger);
    expect(crossings.map((c) => [c.subject.kind, c.subject.name, c.threshold])).toEqual([
      ['kms-key', 'etcd (version v2)', 'critical'],
    ]);
  });

  it('lists reached thresholds most urgent first', () => {
    expect(reachedThresholds('ok')).toEqual([]);
    expect(reachedThresholds('warning')).toEqual(['warning']);
    expect(reachedThresholds('expired')).toEqual(['expired', 'critical', 'warning']);
  });
});
