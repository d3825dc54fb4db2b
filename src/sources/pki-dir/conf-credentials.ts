import { readKubeconfigEntries } from '../kubeconfig/kubeconfig-entries';

export interface ConfClientCertificate {
  data?: string;
  file?: string;
}

// The node dump carries only the client-certificate lines of a .conf (never its embedded key), so
// those lines are also read on their own when the text is not a whole kubeconfig.
const DATA_LINE = /^\s*client-certificate-data:\s*["']?([A-Za-z0-9+/=]+)["']?\s*$/m;
const FILE_LINE = /^\s*client-certificate:\s*["']?([^"'\s]+)["']?\s*$/m;

/** The client certificate a kubeadm .conf holds or points to (its first user's). */
export function confClientCertificate(text: string): ConfClientCertificate | undefined {
  const read = readKubeconfigEntries(text);
  const user = read.ok ? read.entries.users.find((u) => u.certData || u.certFile) : undefined;
  if (user) return { data: user.certData, file: user.certFile };
  const data = DATA_LINE.exec(text)?.[1];
  if (data) return { data };
  const file = FILE_LINE.exec(text)?.[1];
  return file ? { file } : undefined;
}
