import type { ExpiryStatus } from '../core/expiry';
import type { CertificateItem } from './certificate-view';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 600;
export const CHART_DAYS = 90;
/** Labelled rows; further certificates are still marked on the strip above the axis. */
const LABEL_ROWS = 20;

const COLOURS: Record<ExpiryStatus, string> = {
  expired: '#d32f2f',
  critical: '#f57c00',
  warning: '#fbc02d',
  ok: '#388e3c',
};

const PLOT = { left: 60, right: CHART_WIDTH - 40, top: 80, axis: CHART_HEIGHT - 60 };
const DAY_MS = 86_400_000;

/** A KMS key as the chart marks it: a diamond, so keys and certificates read apart. */
export interface ChartKey {
  name: string;
  cluster: string;
  expiresOn: Date;
  status: ExpiryStatus;
}

export interface ChartInput {
  title: string;
  now: Date;
  items: readonly CertificateItem[];
  keys?: readonly ChartKey[];
  criticalSeconds: number;
  warningSeconds: number;
}

/** One row of the chart: a certificate or a key. */
interface Mark {
  label: string;
  cluster: string;
  at: Date;
  status: ExpiryStatus;
  residualSeconds: number;
  key: boolean;
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
  return items
    .filter((item) => item.notAfter.getTime() <= horizon)
    .sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime());
}

function axis(now: Date): string[] {
  const parts = [
    `<line x1="${PLOT.left}" y1="${PLOT.axis}" x2="${PLOT.right}" y2="${PLOT.axis}" stroke="#333" stroke-width="1.5"/>`,
  ];
  for (let day = 0; day <= CHART_DAYS; day += 7) {
    const x = round(xForDays(day));
    const label = new Date(now.getTime() + day * DAY_MS).toISOString().slice(5, 10);
    parts.push(`<line x1="${x}" y1="${PLOT.axis}" x2="${x}" y2="${PLOT.axis + 6}" stroke="#333"/>`);
    parts.push(`<text x="${x}" y="${PLOT.axis + 22}" font-size="12" text-anchor="middle" fill="#333">${label}</text>`);
  }
  parts.push(
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.axis + 44}" font-size="13" text-anchor="middle" fill="#555">days from today (UTC dates)</text>`,
  );
  return parts;
}

/** The critical and warning zones as shaded bands from today, each labelled with its threshold. */
function thresholdBands(criticalSeconds: number, warningSeconds: number): string[] {
  const parts: string[] = [];
  const band = (fromDays: number, toDays: number, fill: string, colour: string, label: string) => {
    if (toDays <= 0 || fromDays >= CHART_DAYS) return;
    const x1 = xForDays(fromDays);
    const x2 = xForDays(Math.min(toDays, CHART_DAYS));
    parts.push(
      `<rect x="${round(x1)}" y="${PLOT.top - 10}" width="${round(x2 - x1)}" height="${PLOT.axis - PLOT.top + 10}" fill="${fill}"/>`,
    );
    parts.push(
      `<line x1="${round(x2)}" y1="${PLOT.top - 10}" x2="${round(x2)}" y2="${PLOT.axis}" stroke="${colour}" stroke-width="2" stroke-dasharray="6 4"/>`,
    );
    parts.push(
      `<text x="${round(x2)}" y="${PLOT.top - 16}" font-size="13" font-weight="bold" text-anchor="middle" fill="${colour}">${escapeXml(label)}</text>`,
    );
  };
  const critical = criticalSeconds / 86400;
  const warning = warningSeconds / 86400;
  band(0, critical, '#fde3d3', '#e65100', `critical < ${Math.round(critical)}d`);
  band(critical, warning, '#fff6cc', '#b8860b', `warning < ${Math.round(warning)}d`);
  return parts;
}

/** Today: a solid line at the left edge; expired marks sit on it. */
function todayLine(): string[] {
  const x = round(xForDays(0));
  return [
    `<line x1="${x}" y1="${PLOT.top - 10}" x2="${x}" y2="${PLOT.axis + 6}" stroke="#111" stroke-width="2.5"/>`,
    `<text x="${x}" y="${PLOT.top - 16}" font-size="13" font-weight="bold" text-anchor="middle" fill="#111">today</text>`,
  ];
}

function legend(): string[] {
  const statuses = (['expired', 'critical', 'warning', 'ok'] as const).map((status, i) => {
    const x = CHART_WIDTH - 460 + i * 85;
    return `<circle cx="${x}" cy="30" r="6" fill="${COLOURS[status]}"/><text x="${x + 12}" y="35" font-size="13" fill="#333">${status}</text>`;
  });
  const x = CHART_WIDTH - 110;
  return [...statuses, `${diamond(x, 30, '#555')}<text x="${x + 12}" y="35" font-size="13" fill="#333">KMS key</text>`];
}

function diamond(x: number, y: number, fill: string): string {
  return `<path d="M${round(x)} ${round(y - 7)}L${round(x + 7)} ${round(y)}L${round(x)} ${round(y + 7)}L${round(x - 7)} ${round(y)}Z" fill="${fill}"/>`;
}

function residualLabel(residualSeconds: number): string {
  const days = Math.floor(residualSeconds / 86400);
  if (residualSeconds <= 0) return 'expired';
  return days >= 1 ? `${days}d` : `${Math.max(1, Math.floor(residualSeconds / 3600))}h`;
}

function marksOf(input: ChartInput): Mark[] {
  const horizon = input.now.getTime() + CHART_DAYS * DAY_MS;
  const certificates = chartItems(input.items, input.now).map((item): Mark => ({
    label: item.name,
    cluster: item.cluster,
    at: item.notAfter,
    status: item.status,
    residualSeconds: item.residualSeconds,
    key: false,
  }));
  const keys = (input.keys ?? [])
    .filter((k) => k.expiresOn.getTime() <= horizon)
    .map((k): Mark => ({
      label: `KMS key ${k.name}`,
      cluster: k.cluster,
      at: k.expiresOn,
      status: k.status,
      residualSeconds: (k.expiresOn.getTime() - input.now.getTime()) / 1000,
      key: true,
    }));
  return [...certificates, ...keys].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** A hand-built SVG timeline: today, the threshold zones, one mark per certificate (dot) or key (diamond), labels for the soonest. */
export function expiryChartSvg(input: ChartInput): string {
  const marks = marksOf(input);
  const daysOf = (mark: Mark) => (mark.at.getTime() - input.now.getTime()) / DAY_MS;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="36" font-size="16" font-weight="bold" fill="#111">${escapeXml(input.title)}</text>`,
    ...legend(),
    ...thresholdBands(input.criticalSeconds, input.warningSeconds),
    ...axis(input.now),
    ...todayLine(),
  ];
  if (marks.length === 0) {
    parts.push(
      `<text x="${CHART_WIDTH / 2}" y="${CHART_HEIGHT / 2}" font-size="20" text-anchor="middle" fill="#388e3c">Nothing expires in the next ${CHART_DAYS} days</text>`,
    );
  }
  // Every mark: a tick on the strip just above the axis.
  for (const mark of marks) {
    const x = round(xForDays(daysOf(mark)));
    parts.push(
      `<line x1="${x}" y1="${PLOT.axis - 34}" x2="${x}" y2="${PLOT.axis - 4}" stroke="${COLOURS[mark.status]}" stroke-width="3"/>`,
    );
  }
  // The soonest ones: a dot (certificate) or a diamond (key) on its own row and a label beside it.
  const rowHeight = (PLOT.axis - 50 - PLOT.top) / LABEL_ROWS;
  marks.slice(0, LABEL_ROWS).forEach((mark, row) => {
    const x = xForDays(daysOf(mark));
    const y = PLOT.top + row * rowHeight + rowHeight / 2;
    const label = `${mark.label.slice(0, 48)} · ${mark.cluster} (${residualLabel(mark.residualSeconds)})`;
    const rightSide = x < PLOT.right - 320;
    parts.push(
      `<line x1="${round(x)}" y1="${round(y)}" x2="${round(x)}" y2="${PLOT.axis - 34}" stroke="${COLOURS[mark.status]}" stroke-opacity="0.25"/>`,
    );
    parts.push(
      mark.key
        ? diamond(x, y, COLOURS[mark.status])
        : `<circle cx="${round(x)}" cy="${round(y)}" r="5" fill="${COLOURS[mark.status]}"/>`,
    );
    parts.push(
      `<text x="${round(rightSide ? x + 10 : x - 10)}" y="${round(y + 4)}" font-size="12" text-anchor="${rightSide ? 'start' : 'end'}" fill="#222">${escapeXml(label)}</text>`,
    );
  });
  if (marks.length > LABEL_ROWS) {
    parts.push(
      `<text x="${PLOT.right}" y="${PLOT.axis - 40}" font-size="12" text-anchor="end" fill="#555">+${marks.length - LABEL_ROWS} more marked on the strip</text>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
