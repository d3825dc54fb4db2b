// Runs every benchmark in turn and prints their figures. `npm run bench` builds first.
// One benchmark: `node bench/run.js scan` (scan-pki, scan, reencrypt, csr-burst).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const BENCHES = [
  ['scan-pki', 'certops scan --pki-dir against `node -e 0` (target: at most 3x)'],
  [
    'scan',
    '10,000 TLS secrets: whole scan against merely paging (target: at most 1.5x; RSS under 250 MB, growth under 30%)',
  ],
  [
    'reencrypt',
    '10,000 secrets: re-encryption against kubectl get | replace (target: at least 4x faster; RSS at most 200 MB)',
  ],
  ['csr-burst', '300 kubelet-serving CSRs in 2 s (target: at most 10 posts, first within 5 s)'],
];

const only = process.argv.slice(2);
let failed = 0;
for (const [name, what] of BENCHES) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stdout.write(`\n== ${name}: ${what}\n`);
  const result = spawnSync(process.execPath, [join(__dirname, `${name}.js`)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`(${name} exited with ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
