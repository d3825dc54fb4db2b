// Secrets scan at scale against the Kubernetes simulator. Prints figures; asserts nothing.
// Build first: npx tsc -p tsconfig.build.json   Then: node bench/scan.js [--secrets 10000] [--small 2000]
'use strict';
const { fork } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const DIST = join(__dirname, '..', 'dist');
const NAMESPACES = 200;
const PAGE_SIZE = 500;

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

// ---- child: one measured pass, reported as one JSON message ----------------------------------

async function floorPass(kc) {
  const { CoreV1Api } = require('@kubernetes/client-node');
  const api = kc.makeApiClient(CoreV1Api);
  let secrets = 0;
  let token;
  do {
    const page = await api.listSecretForAllNamespaces({ limit: PAGE_SIZE, ...(token ? { _continue: token } : {}) });
    secrets += page.items.length;
    token = page.metadata?._continue;
  } while (token);
  return { secrets };
}

async function scanPass(kc) {
  const { scanCluster } = require(join(DIST, 'sources', 'cluster-inventory.js'));
  const cluster = { name: 'bench', inCluster: false, endpoints: [], approvals: {}, allowSinglePersonApproval: false };
  const scan = await scanCluster(cluster, { kubeConfig: kc, secretsPageSize: PAGE_SIZE });
  const locations = scan.certificates.reduce((sum, record) => sum + record.locations.length, 0);
  return { certificates: scan.certificates.length, locations, errors: scan.errors.length };
}

async function child(mode, kubeconfigPath) {
  const { KubeConfig } = require('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const started = process.hrtime.bigint();
  const result = mode === 'floor' ? await floorPass(kc) : await scanPass(kc);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // maxRSS is the peak resident set of this process, in kilobytes.
  process.send({ mode, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, ...result });
}

// ---- parent: the simulator, the data, the measurements ----------------------------------------

function runChild(mode, kubeconfigPath) {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--child', mode, kubeconfigPath], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let message;
    proc.on('message', (m) => (message = m));
    proc.on('error', reject);
    proc.on('exit', (code) => (message ? resolve(message) : reject(new Error(`${mode} child exited with ${code}`))));
  });
}

async function issueChains(count) {
  const { issueCertificate } = require(join(DIST, 'sandbox', 'pki', 'issue.js'));
  const chains = [];
  for (let i = 0; i < count; i++) {
    const ca = await issueCertificate({ commonName: `bench-ca-${i}`, isCA: true });
    const leaf = await issueCertificate(
      { commonName: `bench-${i}.example.com`, dnsNames: [`bench-${i}.example.com`] },
      ca,
    );
    chains.push({
      tlsCrt: Buffer.from(leaf.certPem + ca.certPem).toString('base64'),
      tlsKey: Buffer.from(leaf.keyPem).toString('base64'),
    });
  }
  return chains;
}

function addSecrets(sim, chains, from, to) {
  for (let i = from; i < to; i++) {
    const chain = chains[i % chains.length];
    sim.store.secrets.create({
      metadata: {
        namespace: `ns-${String(i % NAMESPACES).padStart(3, '0')}`,
        name: `tls-${String(i).padStart(6, '0')}`,
      },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': chain.tlsCrt, 'tls.key': chain.tlsKey },
    });
  }
}

const fmt = (n, digits = 2) => n.toFixed(digits);

async function parent() {
  const total = option('secrets', 10000);
  const small = option('small', 2000);
  const { KubeSim } = require(join(DIST, 'sandbox', 'kube', 'index.js'));
  const dir = mkdtempSync(join(tmpdir(), 'certops-bench-'));
  const sim = await KubeSim.start({ historyLimit: 100 });
  try {
    const kubeconfigPath = join(dir, 'kubeconfig');
    await sim.writeKubeconfig(kubeconfigPath);
    for (let n = 0; n < NAMESPACES; n++)
      sim.store.namespaces.create({ metadata: { name: `ns-${String(n).padStart(3, '0')}` } });
    // Distinct chains, so parsing is measured rather than a cache hit (--chains 5 shows the cached case).
    const chains = await issueChains(option('chains', 2000));

    addSecrets(sim, chains, 0, small);
    const smallScan = await runChild('scan', kubeconfigPath);
    addSecrets(sim, chains, small, total);
    // Two rounds each, best time kept: the first pass also pays for loading modules and warming the simulator.
    const floors = [await runChild('floor', kubeconfigPath), await runChild('floor', kubeconfigPath)];
    const scans = [await runChild('scan', kubeconfigPath), await runChild('scan', kubeconfigPath)];
    const floor = floors.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const scan = scans.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    const peakLarge = Math.max(...scans.map((s) => s.peakRssMb));

    console.log(
      `secrets scan bench: ${total} TLS secrets (2-certificate chains from ${chains.length} chains) in ${NAMESPACES} namespaces, page size ${PAGE_SIZE}`,
    );
    console.log(
      `  floor (page through with the Kubernetes client): ${fmt(floor.seconds)} s for ${floor.secrets} secrets`,
    );
    console.log(
      `  whole secrets scan (scanCluster):                 ${fmt(scan.seconds)} s, ${scan.certificates} certificates at ${scan.locations} locations, ${scan.errors} errors`,
    );
    console.log(`  ratio scan / floor: ${fmt(scan.seconds / floor.seconds)}x (target <= 1.5x)`);
    console.log(
      `  peak RSS of the scanning process: ${fmt(smallScan.peakRssMb, 1)} MB at ${small} secrets, ${fmt(peakLarge, 1)} MB at ${total} secrets (target < 250 MB)`,
    );
    console.log(
      `  RSS growth ${small} -> ${total}: ${fmt(((peakLarge - smallScan.peakRssMb) / smallScan.peakRssMb) * 100, 1)}% (target < 30%)`,
    );
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  parent().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
