import { readKubeconfigEntries } from '../kubeconfig/kubeconfig-entries';

export interface ConfClientCertificate {
  data?: string;
  file?: string;
}

// The node dump carries only the client-certificate lines of a .conf (never its embedded key),
// so these lines must be readable on their own, without the rest of the kubeconfig.
const DATA_LINE = /^\s*client-certificate-data:\s*["']?([A-Za-z0-9+/=]+)["']?\s*$/m;
const FILE_LINE = /^\s*client-certificate:\s*["']?([^"'\s]+)["']?\s*$/m;

/** The client certificate a kubeadm .conf holds or points to (its first user's). */
export function confClientCertificate(text: string): ConfClientCertificate | undefined {
  // kubeadm writes one user with the value on one line; other layouts (flow style, several users) go through YAML.
  const data = DATA_LINE.exec(text)?.[1];
  if (data) return { data };
  const file = FILE_LINE.exec(text)?.[1];
  if (file) return { file };
  const read = readKubeconfigEntries(text);
  const user = read.ok ? read.entries.users.find((u) => u.certData || u.certFile) : undefined;
  return user ? { data: user.certData, file: user.certFile } : undefined;
}
