import type { Inventory } from '../inventory';
import { KUBEADM_CONF_FILES } from './kubeadm-names';
import { inventoryFromPkiFiles, type PkiScanOptions } from './pki-files';

// The PKI of a control-plane node travels as a pod log, in the format of `tail -n +1 FILE…`:
//   ==> /etc/kubernetes/pki/apiserver.crt <==
//   -----BEGIN CERTIFICATE-----
//   …
// Private keys never leave the node: a `.key` header is followed by a placeholder (only its presence
// matters), a `.conf` by its client-certificate lines only, a referenced pem by its certificates only.

const HEADER = /^==> (.+) <==$/;
export const KEY_PLACEHOLDER = '(private key present, content withheld)';

/** Splits a dump into path → content. */
export function splitPkiDump(logText: string): Map<string, string> {
  const files = new Map<string, string>();
  let current: string | undefined;
  let lines: string[] = [];
  const flush = () => {
    if (current !== undefined) files.set(current, lines.join('\n'));
  };
  for (const line of logText.split(/\r?\n/)) {
    const header = HEADER.exec(line);
    if (header) {
      flush();
      current = header[1];
      lines = [];
    } else if (current !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return files;
}

/** Reads a node's PKI dump with the same code as a local folder. */
export function parsePkiDump(logText: string, pkiDir = '/etc/kubernetes/pki', options: PkiScanOptions = {}): Inventory {
  return inventoryFromPkiFiles(splitPkiDump(logText), pkiDir, options);
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
// Prints only the certificate blocks, even when a key follows on the same line (no newline between them).
const CERTIFICATES_ONLY = `awk 'BEGIN{b="-----BEGIN CERTIFICATE-----"; e="-----END CERTIFICATE-----"} { if (!p && index($0, b)) { p=1; $0=substr($0, index($0, b)) } if (p) { i=index($0, e); if (i) { print substr($0, 1, i+length(e)-1); p=0 } else print } }'`;

/**
 * The POSIX shell script a node pod runs to print the dump. `hostRoot` is where the node's
 * filesystem is mounted in the pod (headers print the node's own paths).
 */
export function pkiDumpScript(pkiDir = '/etc/kubernetes/pki', hostRoot = ''): string {
  const confDir = pkiDir.replace(/\/+$/, '').replace(/\/[^/]+$/, '') || '/';
  return [
    `R=${quote(hostRoot)}; P=${quote(pkiDir)}; K=${quote(confDir)}`,
    `find "$R$P" -type f \\( -name '*.crt' -o -name '*.key' \\) | sort | while IFS= read -r f; do`,
    `  echo "==> \${f#"$R"} <=="`,
    `  case "$f" in *.key) echo ${quote(KEY_PLACEHOLDER)} ;; *) ${CERTIFICATES_ONLY} "$f" ;; esac`,
    `done`,
    `for c in ${KUBEADM_CONF_FILES.join(' ')}; do`,
    `  f="$K/$c"; [ -f "$R$f" ] || continue`,
    `  echo "==> $f <=="; grep -E '^[[:space:]]*client-certificate(-data)?:' "$R$f"`,
    `  ref=$(sed -n 's/^[[:space:]]*client-certificate:[[:space:]]*//p' "$R$f" | head -n 1 | tr -d "\\"'")`,
    `  if [ -n "$ref" ] && [ -f "$R$ref" ]; then echo "==> $ref <=="; ${CERTIFICATES_ONLY} "$R$ref"; fi`,
    `done`,
  ].join('\n');
}
