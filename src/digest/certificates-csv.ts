import type { ListedItem } from './certificate-view';

// The columns of Show all's CSV. `kind` (certificate or kms-key) came last so existing columns keep their place.
const COLUMNS = [
  'name',
  'cluster',
  'source',
  'location',
  'other_locations',
  'not_after',
  'residual_days',
  'status',
  'kind',
] as const;

/** RFC 4180 quoting; a leading =,+,-,@ is prefixed so a spreadsheet does not run it as a formula. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const days = (seconds: number) => Number((seconds / 86400).toFixed(1));

function row(listed: ListedItem): Array<string | number> {
  if (listed.kind === 'cert') {
    const item = listed.item;
    return [
      item.name,
      item.cluster,
      item.source,
      item.location,
      item.moreLocations,
      item.notAfter.toISOString(),
      days(item.residualSeconds),
      item.status,
      'certificate',
    ];
  }
  // A key without an expiry date leaves not_after and residual_days empty.
  const key = listed.item;
  return [
    key.name,
    key.cluster,
    'kms',
    key.locations[0] ?? '',
    Math.max(0, key.locations.length - 1),
    key.notAfter?.toISOString() ?? '',
    key.residualSeconds === null ? '' : days(key.residualSeconds),
    key.status,
    'kms-key',
  ];
}

/** Every certificate and KMS key as one CSV row, in the order given. */
export function certificatesCsv(items: readonly ListedItem[]): string {
  const rows = items.map((item) => row(item).map(cell).join(','));
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
