// Re-encryption throughput: certops' namespace re-encryption (the code the worker's child jobs run) against
// `kubectl get secrets -A -o json | kubectl replace -f -`, both on the same kube-sim in one run, and the peak
// RSS of the re-encrypting process for 2,000 and 10,000 secrets. The simulator lives in this process; certops
// runs in a child process, as a worker would, so its RSS and CPU are its own.
// Needs `npx tsc -p tsconfig.build.json` and Redis (REDIS_URL).
// Usage: node bench/reencrypt.js            (prints figures only)
'use strict';
const { execFile, fork } = require('node:child_process');
const { promisify } = require('node:util');
const { mkdtempSync, writeFileSync, rmSync, readFileSync } = require('node:fs');
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

async function certopsRun(kubeconfig, label) {
  const { KubeConfig } = require('@kubernetes/client-node');
  const { Redis } = require('ioredis');
  const { ReencryptCheckpointStore } = require(join(dist, 'state/reencrypt-checkpoint'));
  const { reencryptNamespace, listNamespaceNames } = require(join(dist, 'operations/reencrypt-secrets'));
  const { silentLogger } = require(join(dist, 'util/logger'));
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `{certops-bench-${process.pid}}`;
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
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

// The child: re-encrypts every bench namespace of the cluster the kubeconfig names, reports time and peak RSS.
async function child(kubeconfigPath, label) {
  const seconds = await certopsRun(readFileSync(kubeconfigPath, 'utf8'), label);
  process.send({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
}

function certopsInChild(sim, label) {
  const dir = mkdtempSync(join(tmpdir(), 'certops-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig());
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--child', kubeconfig, label]);
    proc.on('message', resolve);
    proc.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code) reject(new Error(`child exited ${code}`));
    });
  });
}

async function measureRss(total) {
  const sim = await startSim(total);
  sim.encryption.setCurrentKey('2');
  const m = await certopsInChild(sim, `rss-${total}`);
  const left = sim.encryption.secretsNotEncryptedWith('2').length;
  await sim.stop();
  return { ...m, total, left };
}

async function main() {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4]);
  const total = 10_000;
  const sim = await startSim(total);
  // Two rounds each, alternating, best of two: the first requests also warm up the simulator's own code.
  const certopsTimes = [];
  const kubectlTimes = [];
  let leftCertops = 0;
  let leftKubectl = 0;
  let key = 1;
  for (let round = 0; round < 2; round++) {
    sim.encryption.setCurrentKey(String(++key));
    certopsTimes.push((await certopsInChild(sim, `throughput-${round}`)).seconds);
    leftCertops += sim.encryption.secretsNotEncryptedWith(String(key)).length;
    sim.encryption.setCurrentKey(String(++key));
    const seconds = await kubectlRun(sim);
    if (seconds !== undefined) kubectlTimes.push(seconds);
    leftKubectl += sim.encryption.secretsNotEncryptedWith(String(key)).length;
  }
  const certops = Math.min(...certopsTimes);
  const kubectl = kubectlTimes.length ? Math.min(...kubectlTimes) : undefined;
  console.log(`rounds (s): certops ${certopsTimes.map((t) => t.toFixed(2)).join(', ')}; kubectl ${kubectlTimes.map((t) => t.toFixed(2)).join(', ') || '-'}`);
  await sim.stop();
  console.log(`secrets: ${total} in ${NAMESPACES} namespaces`);
  console.log(`certops re-encryption: ${certops.toFixed(2)} s (${Math.round(total / certops)} secrets/s), not re-encrypted after: ${leftCertops}`);
  console.log(kubectl === undefined
    ? 'kubectl get -A -o json | kubectl replace -f -: failed or kubectl absent'
    : `kubectl get -A -o json | kubectl replace -f -: ${kubectl.toFixed(2)} s (${Math.round(total / kubectl)} secrets/s), not re-encrypted after: ${leftKubectl}`);
  if (kubectl !== undefined) console.log(`certops is ${(kubectl / certops).toFixed(1)}x as fast as kubectl (goal: at least 4x)`);
  const rss = [];
  for (const size of [2_000, 10_000]) {
    const m = await measureRss(size);
    rss.push(m.maxRssMiB);
    console.log(`peak RSS of the certops process re-encrypting ${m.total} secrets: ${m.maxRssMiB.toFixed(0)} MiB, ${m.seconds.toFixed(2)} s, not re-encrypted after: ${m.left}`);
  }
  console.log(`peak RSS growth 2,000 -> 10,000 secrets: ${(((rss[1] - rss[0]) / rss[0]) * 100).toFixed(0)}% (goal: under 30%, at most 200 MiB)`);
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
