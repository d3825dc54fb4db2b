// Columns aligned the way kubeadm's tabwriter does it (minimum width 10, 3 spaces of padding).
const MIN_WIDTH = 10;
const PADDING = 3;

export function alignColumns(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) =>
    Math.max(MIN_WIDTH, ...[title, ...rows.map((row) => row[column] ?? '')].map((cell) => cell.length + PADDING)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number)))
      .join('')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `Dec 03, 2027 10:00 UTC`, as kubeadm prints expiry dates. */
export function formatExpiryDate(date: Date): string {
  return `${MONTHS[date.getUTCMonth()]} ${two(date.getUTCDate())}, ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())} UTC`;
}
