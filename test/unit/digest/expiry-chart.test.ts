import { CHART_HEIGHT, CHART_WIDTH, chartItems, expiryChartSvg } from '../../../src/digest/expiry-chart-svg';
import { certificateItem } from '../../../src/digest/certificate-view';
import { renderPng } from '../../../src/digest/render-png';
import { NOW, THRESHOLDS, cert } from './fixtures';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function items(days: number[]) {
  return days.map((d, i) => certificateItem(cert(`cert-${i} <&>`, d), 'prod', [], NOW, THRESHOLDS));
}

describe('the expiry chart', () => {
  it('renders a PNG of the chart size, whose IHDR says so', () => {
    const svg = expiryChartSvg({
      title: 'Next 90 days',
      now: NOW,
      items: items([-2, 1, 5, 12, 29, 45, 89, 120, ...Array.from({ length: 30 }, (_, i) => i * 3)]),
      ...THRESHOLDS,
    });
    const png = renderPng(svg);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // The first chunk is IHDR: length (4), type (4), then width and height as 32-bit big-endian.
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT);
  });

  it('marks each certificate of the next 90 days (and the expired) once, in its status colour, with escaped labels', () => {
    const svg = expiryChartSvg({ title: 'T', now: NOW, items: items([-2, 5, 20, 60, 120]), ...THRESHOLDS });
    expect(chartItems(items([-2, 5, 20, 60, 120]), NOW)).toHaveLength(4);
    expect(svg.match(/stroke-width="3"/g)).toHaveLength(4);
    expect(svg).toContain('stroke="#d32f2f" stroke-width="3"');
    expect(svg).toContain('stroke="#f57c00" stroke-width="3"');
    expect(svg).toContain('cert-0 &lt;&amp;&gt;');
    expect(svg).not.toContain('<&>');
  });

  it('marks a KMS key as a diamond in its status colour, labelled with its name and cluster, among the certificates by date', () => {
    const key = {
      name: 'etcd-kms',
      cluster: 'aks-prod',
      expiresOn: new Date(NOW.getTime() + 19 * 86_400_000),
      status: 'warning' as const,
    };
    const svg = expiryChartSvg({ title: 'T', now: NOW, items: items([5, 60]), keys: [key], ...THRESHOLDS });
    expect(svg).toContain('KMS key etcd-kms · aks-prod (19d)');
    expect(svg.match(/<path d="M[^"]+Z" fill="#fbc02d"\/>/g)).toHaveLength(1);
    const rows = [...svg.matchAll(/>([^<]+ · [a-z-]+ \(\d+d\))</g)].map((m) => m[1]);
    expect(rows).toEqual([
      'cert-0 &lt;&amp;&gt; · prod (5d)',
      'KMS key etcd-kms · aks-prod (19d)',
      'cert-1 &lt;&amp;&gt; · prod (60d)',
    ]);
    // A key beyond the chart's 90 days is left out, as certificates are.
    expect(
      expiryChartSvg({
        title: 'T',
        now: NOW,
        items: [],
        keys: [{ ...key, expiresOn: new Date(NOW.getTime() + 200 * 86_400_000) }],
        ...THRESHOLDS,
      }),
    ).toContain('Nothing expires');
  });

  it('marks today and shades the critical and warning zones up to their thresholds', () => {
    const svg = expiryChartSvg({ title: 'T', now: NOW, items: items([5]), ...THRESHOLDS });
    expect(svg).toMatch(/<line x1="60\.0" [^>]*stroke="#111" stroke-width="2.5"\/>/);
    expect(svg).toContain('>today</text>');
    expect(svg).toContain(`>critical &lt; ${THRESHOLDS.criticalSeconds / 86400}d</text>`);
    expect(svg).toContain(`>warning &lt; ${THRESHOLDS.warningSeconds / 86400}d</text>`);
    expect(
      svg.match(/<rect x="[\d.]+" y="70" width="[\d.]+" height="[\d.]+" fill="#(fde3d3|fff6cc)"\/>/g),
    ).toHaveLength(2);
  });

  it('says so when nothing expires in the next 90 days', () => {
    expect(expiryChartSvg({ title: 'T', now: NOW, items: items([200]), ...THRESHOLDS })).toContain(
      'Nothing expires in the next 90 days',
    );
  });
});
