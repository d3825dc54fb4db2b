import type { ExpiryStatus } from '../core/expiry';
import type { CertificateItem } from './certificate-view';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 600;
export const CHART_DAYS = 90;
/** Labelled rows; further certificates are still marked on the strip above the axis. */
const LABEL_ROWS = 20;

const COLOURS: Record<ExpiryStatus, string> = { expired: '#d32f2f', critical: '#f57c00', warning: '#fbc02d', ok: '#388e3c' };

const PLOT = { left: 60, right: CHART_WIDTH - 40, top: 80, axis: CHART_HEIGHT - 60 };
const DAY_MS = 86_400_000;

export interface ChartInput {
  title: string;
  now: Date;
  items: readonly CertificateItem[];
  criticalSeconds: number;
  warningSeconds: number;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function xForDays(days: number): number {
  const clamped = Math.min(Math.max(days, 0), CHART_DAYS);
  return PLOT.left + (clamped / CHART_DAYS) * (PLOT.right - PLOT.left);
}

function round(n: number): string {
  return n.toFixed(1);
}

/** Certificates that belong on the chart: expired ones (at the left edge) and those expiring within 90 days. */
export function chartItems(items: readonly CertificateItem[], now: Date): CertificateItem[] {
  const horizon = now.getTime() + CHART_DAYS * DAY_MS;
  return items.filter((item) => item.notAfter.getTime() <= horizon).sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime());
}

function axis(now: Date): string[] {
  const parts = [`<line x1="${PLOT.left}" y1="${PLOT.axis}" x2="${PLOT.right}" y2="${PLOT.axis}" stroke="#333" stroke-width="1.5"/>`];
  for (let day = 0; day <= CHART_DAYS; day += 7) {
    const x = round(xForDays(day));
    const label = new Date(now.getTime() + day * DAY_MS).toISOString().slice(5, 10);
    parts.push(`<line x1="${x}" y1="${PLOT.axis}" x2="${x}" y2="${PLOT.axis + 6}" stroke="#333"/>`);
    parts.push(`<text x="${x}" y="${PLOT.axis + 22}" font-size="12" text-anchor="middle" fill="#333">${label}</text>`);
  }
  parts.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.axis + 44}" font-size="13" text-anchor="middle" fill="#555">days from today (UTC dates)</text>`);
  return parts;
}

function thresholdLine(seconds: number, label: string, colour: string): string[] {
  const days = seconds / 86400;
  if (days <= 0 || days > CHART_DAYS) return [];
  const x = round(xForDays(days));
  return [
    `<line x1="${x}" y1="${PLOT.top - 10}" x2="${x}" y2="${PLOT.axis}" stroke="${colour}" stroke-dasharray="6 4"/>`,
    `<text x="${x}" y="${PLOT.top - 16}" font-size="12" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`,
  ];
}

function legend(): string[] {
  return (['expired', 'critical', 'warning', 'ok'] as const).map((status, i) => {
    const x = CHART_WIDTH - 420 + i * 100;
    return `<circle cx="${x}" cy="30" r="6" fill="${COLOURS[status]}"/><text x="${x + 12}" y="35" font-size="13" fill="#333">${status}</text>`;
  });
}

function residualLabel(item: CertificateItem): string {
  const days = Math.floor(item.residualSeconds / 86400);
  if (item.residualSeconds <= 0) return 'expired';
  return days >= 1 ? `${days}d` : `${Math.max(1, Math.floor(item.residualSeconds / 3600))}h`;
}

/** A hand-built SVG timeline: a day axis, one mark per certificate coloured by status, labels for the soonest. */
export function expiryChartSvg(input: ChartInput): string {
  const items = chartItems(input.items, input.now);
  const daysOf = (item: CertificateItem) => (item.notAfter.getTime() - input.now.getTime()) / DAY_MS;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="36" font-size="18" font-weight="bold" fill="#111">${escapeXml(input.title)}</text>`,
    ...legend(),
    ...thresholdLine(input.criticalSeconds, 'critical', COLOURS.critical),
    ...thresholdLine(input.warningSeconds, 'warning', '#b8860b'),
    ...axis(input.now),
  ];
  if (items.length === 0) {
    parts.push(`<text x="${CHART_WIDTH / 2}" y="${CHART_HEIGHT / 2}" font-size="20" text-anchor="middle" fill="#388e3c">Nothing expires in the next ${CHART_DAYS} days</text>`);
  }
  // Every certificate: a tick on the strip just above the axis.
  for (const item of items) {
    const x = round(xForDays(daysOf(item)));
    parts.push(`<line x1="${x}" y1="${PLOT.axis - 34}" x2="${x}" y2="${PLOT.axis - 4}" stroke="${COLOURS[item.status]}" stroke-width="3"/>`);
  }
  // The soonest ones: a dot on its own row and a label beside it.
  const rowHeight = (PLOT.axis - 50 - PLOT.top) / LABEL_ROWS;
  items.slice(0, LABEL_ROWS).forEach((item, row) => {
    const x = xForDays(daysOf(item));
    const y = PLOT.top + row * rowHeight + rowHeight / 2;
    const label = `${item.name.slice(0, 48)} · ${item.cluster} (${residualLabel(item)})`;
    const rightSide = x < PLOT.right - 320;
    parts.push(`<line x1="${round(x)}" y1="${round(y)}" x2="${round(x)}" y2="${PLOT.axis - 34}" stroke="${COLOURS[item.status]}" stroke-opacity="0.25"/>`);
    parts.push(`<circle cx="${round(x)}" cy="${round(y)}" r="5" fill="${COLOURS[item.status]}"/>`);
    parts.push(
      `<text x="${round(rightSide ? x + 10 : x - 10)}" y="${round(y + 4)}" font-size="12" text-anchor="${rightSide ? 'start' : 'end'}" fill="#222">${escapeXml(label)}</text>`,
    );
  });
  if (items.length > LABEL_ROWS) {
    parts.push(`<text x="${PLOT.right}" y="${PLOT.axis - 40}" font-size="12" text-anchor="end" fill="#555">+${items.length - LABEL_ROWS} more marked on the strip</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}
