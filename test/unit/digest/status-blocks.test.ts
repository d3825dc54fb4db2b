import { validateBlocks } from '../../../src/sandbox/slack';
import { expiringMessage, statusMessage } from '../../../src/digest/blocks/status';
import type { ClusterView } from '../../../src/digest/certificate-view';
import { NOW, THRESHOLDS, cert, scan } from '../digest/fixtures';

const scanned = (name: string, days: number[]): ClusterView => ({
  name,
  kinds: [],
  latest: {
    scan: scan(
      name,
      days.map((d, i) => cert(`${name}-${i}`, d)),
    ),
    at: new Date(NOW.getTime() - 3 * 86400_000),
  },
});

describe('the /certs status answer', () => {
  it('gives counts, the next expiry and the scan age per cluster, and says which cluster has no scan', () => {
    const message = statusMessage({
      clusters: [scanned('a', [20, -1, 100]), { name: 'b', kinds: [] }],
      now: NOW,
      thresholds: THRESHOLDS,
      refreshed: new Set(),
    });
    const text = JSON.stringify(message.blocks);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    expect(text).toContain(
      ':red_circle: 1 expired · :large_orange_circle: 0 critical · :large_yellow_circle: 1 warning · :large_green_circle: 1 ok',
    );
    expect(text).toContain('next: *a-1* expired 1d ago');
    expect(text).toContain('latest scan 3d ago');
    expect(text).toContain('*b* — no scan yet');
  });
});

describe('the /certs expiring answer', () => {
  it('keeps within 50 blocks and counts what it could not show', () => {
    const many = scanned(
      'big',
      Array.from({ length: 3000 }, (_, i) => 1 + (i % 20)),
    );
    const message = expiringMessage({
      clusters: [many],
      now: NOW,
      thresholds: THRESHOLDS,
      refreshed: new Set(),
      withinSeconds: 30 * 86400,
    });
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(validateBlocks(message.blocks, 'message')).toEqual([]);
    expect(message.text).toBe('3000 certificates expire within 30 days');
    expect(JSON.stringify(message.blocks)).toMatch(/…and \d+ more/);
  });

  it('says nothing expires in the window when nothing does', () => {
    const message = expiringMessage({
      clusters: [scanned('a', [100])],
      now: NOW,
      thresholds: THRESHOLDS,
      refreshed: new Set(),
      withinSeconds: 14 * 86400,
    });
    expect(JSON.stringify(message.blocks)).toContain('Nothing expires within 14 days');
  });
});
