import type { CertificateItem } from './certificate-view';

const COLUMNS = [
  'name',
  'cluster',
  'source',
  'location',
  'other_locations',
  'not_after',
  'residual_days',
  'status',
] as const;

/** RFC 4180 quoting; a leading =,+,-,@ is prefixed so a spreadsheet does not run it as a formula. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every certificate as one CSV row, in the order given. */
export function certificatesCsv(items: readonly CertificateItem[]): string {
  const rows = items.map((item) =>
    [
      item.name,
      item.cluster,
      item.source,
      item.location,
      item.moreLocations,
      item.notAfter.toISOString(),
      Number((item.residualSeconds / 86400).toFixed(1)),
      item.status,
    ]
      .map(cell)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
