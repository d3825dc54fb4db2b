export interface RenewedCertificate {
  name: string;
  expiresOn: string;
}

// `kubeadm certs check-expiration` rows: "apiserver   Nov 23, 2027 12:00 UTC   364d   ca   no".
const ROW = /^([a-z][a-z0-9.-]*)\s+([A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2} UTC)\s/;

/** The certificates (not the CAs) and their expiry from `kubeadm certs check-expiration` output. */
export function parseCheckExpiration(log: string): RenewedCertificate[] {
  const rows: RenewedCertificate[] = [];
  let inCaSection = false;
  for (const line of log.split('\n')) {
    if (/^CERTIFICATE AUTHORITY\s/.test(line)) inCaSection = true;
    else if (/^CERTIFICATE\s/.test(line)) inCaSection = false;
    const match = ROW.exec(line.trim());
    if (!match || inCaSection) continue;
    const when = new Date((match[2] as string).replace(' UTC', ' GMT'));
    if (!Number.isNaN(when.getTime())) rows.push({ name: match[1] as string, expiresOn: when.toISOString() });
  }
  return rows;
}
