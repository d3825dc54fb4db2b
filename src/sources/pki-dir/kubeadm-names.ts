import { posix } from 'node:path';

/** The kubeconfig files kubeadm writes beside the PKI folder, whose client certificates it checks. */
export const KUBEADM_CONF_FILES = [
  'admin.conf',
  'super-admin.conf',
  'controller-manager.conf',
  'scheduler.conf',
  'kubelet.conf',
] as const;

/** kubeadm's name for a PKI file: `apiserver.crt` → `apiserver`, `etcd/server.crt` → `etcd-server`, `etcd/ca.crt` → `etcd-ca`. */
export function kubeadmCertificateName(pkiDir: string, crtPath: string): string {
  return posix
    .relative(pkiDir, crtPath)
    .replace(/\.crt$/, '')
    .split('/')
    .join('-');
}
