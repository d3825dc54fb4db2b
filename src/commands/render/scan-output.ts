import { formatResidual } from '../../util/duration';
import { alignColumns, formatExpiryDate } from './columns';
import type { ScanReport } from './scan-report';

const yesNo = (value: boolean | undefined) => (value ? 'yes' : 'no');

function sourceCell(locations: readonly string[]): string {
  return locations.length > 1 ? `${locations[0]} (+${locations.length - 1} more)` : (locations[0] ?? '');
}

/** The kubeadm-like table; keys (if any) follow in a second table. */
export function renderScanTable(report: ScanReport): string {
  const header = ['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED', 'SOURCE'];
  const rows = report.certificates.map(({ record, residualSeconds }) => [
    record.name,
    formatExpiryDate(record.notAfter),
    formatResidual(residualSeconds),
    record.certificateAuthority ?? '',
    yesNo(record.externallyManaged),
    sourceCell(record.locations),
  ]);
  const parts = [alignColumns(header, rows)];
  if (report.keys.length > 0) {
    const keyRows = report.keys.map((key) => [
      key.cluster,
      key.keyId,
      key.expiresOn ? formatExpiryDate(key.expiresOn) : 'never',
      key.status,
      yesNo(key.inUse),
      yesNo(key.newerVersion),
    ]);
    parts.push(alignColumns(['CLUSTER', 'KEY', 'EXPIRES', 'STATUS', 'IN USE', 'NEWER VERSION'], keyRows));
  }
  return `${parts.join('\n\n')}\n`;
}

/** One line per source error, for stderr. */
export function renderScanErrors(report: ScanReport): string {
  // A message that already names its location ("no certificates found in DIR") is not prefixed with it again.
  return report.errors
    .map((error) => `error: ${error.message.includes(error.location) ? '' : `${error.location}: `}${error.message}\n`)
    .join('');
}

/** The JSON of DESIGN.md; a certificate found in several places lists them in `location`, comma-separated. */
export function renderScanJson(report: ScanReport): string {
  const json = {
    certificates: report.certificates.map(({ record, status, residualSeconds }) => ({
      name: record.name,
      source: record.source,
      location: record.locations.join(', '),
      subject: record.subject,
      issuer: record.issuer,
      serialNumber: record.serialNumber,
      notBefore: record.notBefore.toISOString(),
      notAfter: record.notAfter.toISOString(),
      residualSeconds,
      isCA: record.isCA,
      externallyManaged: record.externallyManaged ?? false,
      status,
      dnsNames: record.dnsNames,
      ipAddresses: record.ipAddresses,
    })),
    keys: report.keys.map((key) => ({
      cluster: key.cluster,
      keyId: key.keyId,
      version: key.version,
      expiresOn: key.expiresOn ? key.expiresOn.toISOString() : null,
      status: key.status,
      inUse: key.inUse,
      newerVersion: key.newerVersion,
    })),
    errors: report.errors.map(({ location, message }) => ({ location, message })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
