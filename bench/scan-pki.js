// Start-up cost of `certops scan --pki-dir` against bare `node -e 0`, on a realistic kubeadm folder.
// Prints figures only (target: ratio ≤ 3×). Run after `npm run build`: node bench/scan-pki.js [runs]
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const swc = require('@swc/core');

// The fixture generator is TypeScript; compile it on the fly as jest does.
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
const { writeKubeadmPki } = require('../test/fixtures/kubeadm-pki.ts');

const runs = Number(process.argv[2] ?? 10);
const cli = join(__dirname, '..', 'dist', 'cli.js');

function medianMs(args) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

(async () => {
  const pki = await writeKubeadmPki();
  try {
    const baseline = medianMs(['-e', '0']);
    const scan = medianMs([cli, 'scan', '--pki-dir', pki.pkiDir]);
    console.log(`node -e 0                 median ${baseline.toFixed(1)} ms over ${runs} runs`);
    console.log(`certops scan --pki-dir    median ${scan.toFixed(1)} ms over ${runs} runs`);
    console.log(`ratio                     ${(scan / baseline).toFixed(2)}x (target <= 3x)`);
  } finally {
    await pki.cleanup();
  }
})();
