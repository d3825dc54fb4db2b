// Re-encryption throughput: certops' namespace re-encryption (the code the worker's child jobs run) against
// `kubectl get secrets -A -o json | kubectl replace -f -`, both on the same kube-sim in one run, and the peak
// RSS of a process re-encrypting 2,000 and 10,000 secrets. Needs `npm run build` and Redis (REDIS_URL).
// Usage: node bench/reencrypt.js            (prints figures only)
'use strict';
const { execFile, fork } = require('node:child_process');
const { promisify } = require('node:util');
const { mkdtempSync, writeFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const dist = process.env.CERTOPS_DIST ?? join(__dirname, '..', 'dist');
const NAMESPACES = 10;

async function startSim(total) {
  const { KubeSim } = require(join(dist, 'sandbox/kube'));
  const sim = await KubeSim.start({ historyLimit: 100000 });
  const perNs = Math.ceil(total / NAMESPACES);
  for (let n = 0; n < NAMESPACES; n++) {
    const namespace = `bench-${n}`;
    sim.store.namespaces.create({ metadata: { name: namespace } });
    for (let i = 0; i < perNs; i++) {
      sim.store.secrets.create({ metadata: { name: `s-${i}`, namespace }, type: 'Opaque', data: { v: Buffer.from(`value-${i}`).toString('base64') } });
    }
  }
  return sim;
}

async function certopsRun(sim, label) {
  const { KubeConfig } = require('@kubernetes/client-node');
  const { Redis } = require('ioredis');
  const { ReencryptCheckpointStore } = require(join(dist, 'operations/reencrypt-checkpoint'));
  const { reencryptNamespace, listNamespaceNames } = require(join(dist, 'operations/reencrypt-secrets'));
  const { silentLogger } = require(join(dist, 'util/logger'));
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `{certops-bench-${process.pid}}`;
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  const checkpoints = new ReencryptCheckpointStore(redis, prefix);
  const started = process.hrtime.bigint();
  const namespaces = (await listNamespaceNames(kc)).filter((n) => n.startsWith('bench-'));
  // Two namespaces at a time, as two worker slots would run the child jobs.
  const queue = [...namespaces];
  await Promise.all([0, 1].map(async () => {
    for (let ns = queue.shift(); ns; ns = queue.shift()) {
      await reencryptNamespace(kc, { requestId: label, namespace: ns, checkpoints, logger: silentLogger() });
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  return seconds;
}

// Asynchronous: the simulator answers from this same process, so the event loop must stay free.
async function kubectlRun(sim) {
  const dir = mkdtempSync(join(tmpdir(), 'certops-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig());
  try {
    const started = process.hrtime.bigint();
    await promisify(execFile)('sh', ['-c', 'kubectl get secrets -A -o json | kubectl replace -f - >/dev/null'], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      maxBuffer: 1 << 30,
    });
    return Number(process.hrtime.bigint() - started) / 1e9;
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function child(total) {
  const sim = await startSim(total);
  sim.encryption.setCurrentKey('2');
  const seconds = await certopsRun(sim, `rss-${total}`);
  const left = sim.encryption.secretsNotEncryptedWith('2').length;
  await sim.stop();
  process.send({ total, seconds, left, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
}

function measureInChild(total) {
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--child', String(total)]);
    proc.on('message', resolve);
    proc.on('exit', (code) => (code ? reject(new Error(`child exited ${code}`)) : undefined));
  });
}

async function main() {
  if (process.argv[2] === '--child') return child(Number(process.argv[3]));
  const total = 10_000;
  const sim = await startSim(total);
  sim.encryption.setCurrentKey('2');
  const certops = await certopsRun(sim, 'throughput');
  const leftCertops = sim.encryption.secretsNotEncryptedWith('2').length;
  sim.encryption.setCurrentKey('3');
  const kubectl = await kubectlRun(sim);
  const leftKubectl = sim.encryption.secretsNotEncryptedWith('3').length;
  await sim.stop();
  console.log(`secrets: ${total} in ${NAMESPACES} namespaces`);
  console.log(`certops re-encryption: ${certops.toFixed(2)} s (${Math.round(total / certops)} secrets/s), not re-encrypted after: ${leftCertops}`);
  console.log(kubectl === undefined
    ? 'kubectl get -A -o json | kubectl replace -f -: failed or kubectl absent'
    : `kubectl get -A -o json | kubectl replace -f -: ${kubectl.toFixed(2)} s (${Math.round(total / kubectl)} secrets/s), not re-encrypted after: ${leftKubectl}`);
  for (const size of [2_000, 10_000]) {
    const m = await measureInChild(size);
    console.log(`peak RSS re-encrypting ${m.total} secrets: ${m.maxRssMiB.toFixed(0)} MiB (simulator in the same process), ${m.seconds.toFixed(2)} s`);
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
