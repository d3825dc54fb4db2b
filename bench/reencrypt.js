// Re-encryption throughput: certops' namespace re-encryption (the code the worker's child jobs run) against
// `kubectl get secrets -A -o json | kubectl replace -f -`, both on the same kube-sim in one run, and the peak
// RSS of the re-encrypting process for 2,000 and 10,000 secrets. The simulator lives in this process; certops
// runs in a child process, as a worker would, so its RSS and CPU are its own.
// Needs `npx tsc -p tsconfig.build.json` and Redis (REDIS_URL).
// Then, with API Priority and Fairness limiting certops' service account (workload-low: 2 seats, each write keeping its
// seat 20 ms as a storage write would): the write rate at which the simulated API server starts answering 429, and
// certops (default queueing, a tight queue that overflows, and reencrypt.maxWritesPerSecond) against the kubectl
// pipeline as the same service account.
// Usage: node bench/reencrypt.js [--apf-only] [--apf-secrets 2000] [--apf-seats 2] [--apf-write-ms 20]
//   --apf-secrets 100000 --apf-seats 20 for the full-size figure (the default keeps a 2-core box under ten minutes)
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
      sim.store.secrets.create({
        metadata: { name: `s-${i}`, namespace },
        type: 'Opaque',
        data: { v: Buffer.from(`value-${i}`).toString('base64') },
      });
    }
  }
  return sim;
}

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

async function certopsRun(kubeconfig, label, opts = {}) {
  const { KubeConfig } = require('@kubernetes/client-node');
  const { Redis } = require('ioredis');
  const { ReencryptCheckpointStore } = require(join(dist, 'state/reencrypt-checkpoint'));
  const { reencryptNamespace, listNamespaceNames } = require(join(dist, 'operations/reencrypt-secrets'));
  const { silentLogger } = require(join(dist, 'util/logger'));
  const { WritePacer } = require(join(dist, 'operations/write-pacer'));
  const { WriteRateBucket } = require(join(dist, 'state/write-rate-bucket'));
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `{certops-bench-${process.pid}}`;
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  const checkpoints = new ReencryptCheckpointStore(redis, prefix);
  // One pacer for both lanes, as a worker shares one per cluster; the cap's bucket lives in Redis.
  const tokens = opts.maxWritesPerSecond
    ? new WriteRateBucket(redis, prefix, 'bench', opts.maxWritesPerSecond)
    : undefined;
  const pacer = new WritePacer({ maxInFlight: 32, tokens });
  const started = process.hrtime.bigint();
  const namespaces = (await listNamespaceNames(kc)).filter((n) => n.startsWith('bench-'));
  // Two namespaces at a time, as two worker slots would run the child jobs.
  const queue = [...namespaces];
  await Promise.all(
    [0, 1].map(async () => {
      for (let ns = queue.shift(); ns; ns = queue.shift()) {
        await reencryptNamespace(kc, { requestId: label, namespace: ns, checkpoints, logger: silentLogger(), pacer });
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  return { seconds, throttled: pacer.state().throttled };
}

// Asynchronous: the simulator answers from this same process, so the event loop must stay free.
async function kubectlRun(sim, user) {
  const dir = mkdtempSync(join(tmpdir(), 'certops-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(user ? { user } : {}));
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
async function child(kubeconfigPath, label, optsJson) {
  const { seconds, throttled } = await certopsRun(
    readFileSync(kubeconfigPath, 'utf8'),
    label,
    JSON.parse(optsJson ?? '{}'),
  );
  process.send({ seconds, throttled, maxRssMiB: process.resourceUsage().maxRSS / 1024 });
}

function certopsInChild(sim, label, opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'certops-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig(opts.user ? { user: opts.user } : {}));
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--child', kubeconfig, label, JSON.stringify(opts)]);
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
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4], process.argv[5]);
  if (process.argv[2] === '--probe') return probeChild(process.argv[3]);
  if (!process.argv.includes('--apf-only')) await exemptRounds();
  await apfRounds(option('apf-secrets', 2_000));
}

// certops as system:masters (exempt from API Priority and Fairness) against kubectl, and its memory.
async function exemptRounds() {
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
  console.log(
    `rounds (s): certops ${certopsTimes.map((t) => t.toFixed(2)).join(', ')}; kubectl ${kubectlTimes.map((t) => t.toFixed(2)).join(', ') || '-'}`,
  );
  await sim.stop();
  console.log(`secrets: ${total} in ${NAMESPACES} namespaces`);
  console.log(
    `certops re-encryption: ${certops.toFixed(2)} s (${Math.round(total / certops)} secrets/s), not re-encrypted after: ${leftCertops}`,
  );
  console.log(
    kubectl === undefined
      ? 'kubectl get -A -o json | kubectl replace -f -: failed or kubectl absent'
      : `kubectl get -A -o json | kubectl replace -f -: ${kubectl.toFixed(2)} s (${Math.round(total / kubectl)} secrets/s), not re-encrypted after: ${leftKubectl}`,
  );
  if (kubectl !== undefined)
    console.log(`certops is ${(kubectl / certops).toFixed(1)}x as fast as kubectl (goal: at least 4x)`);
  const rss = [];
  for (const size of [2_000, 10_000]) {
    const m = await measureRss(size);
    rss.push(m.maxRssMiB);
    console.log(
      `peak RSS of the certops process re-encrypting ${m.total} secrets: ${m.maxRssMiB.toFixed(0)} MiB, ${m.seconds.toFixed(2)} s, not re-encrypted after: ${m.left}`,
    );
  }
  console.log(
    `peak RSS growth 2,000 -> 10,000 secrets: ${(((rss[1] - rss[0]) / rss[0]) * 100).toFixed(0)}% (goal: under 30%, at most 200 MiB)`,
  );
}

const SERVICE_ACCOUNT = 'system:serviceaccount:certops:certops';
const SEATS = option('apf-seats', 2);
const WRITE_MS = option('apf-write-ms', 20);
const CAPACITY = Math.round((SEATS * 1000) / WRITE_MS);
const APF = { levels: { 'workload-low': { seats: SEATS } }, mutatingWorkMs: WRITE_MS };
const TIGHT_QUEUE = {
  ...APF,
  levels: { 'workload-low': { seats: SEATS, queues: 1, handSize: 1, queueLengthLimit: 8 } },
};
const PROBE_RATES = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4].map((f) => Math.round(f * CAPACITY));

function rejectedSoFar(sim) {
  return sim.apf.snapshot().find((l) => l.name === 'workload-low').rejected;
}

// The child: PUTs at a fixed rate (open loop, as many clients would) in steps, and reports the 429s of each step.
async function probeChild(kubeconfigPath) {
  const https = require('node:https');
  const { KubeConfig } = require('@kubernetes/client-node');
  const kc = new KubeConfig();
  kc.loadFromString(readFileSync(kubeconfigPath, 'utf8'));
  const opts = {};
  await kc.applyToHTTPSOptions(opts);
  const server = new URL(kc.getCurrentCluster().server);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 512, ca: opts.ca });
  const put = (i) =>
    new Promise((resolve) => {
      const body = JSON.stringify({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `s-${i}`, namespace: 'bench-0' },
        type: 'Opaque',
        data: { v: Buffer.from(`probe-${i}`).toString('base64') },
      });
      const req = https.request(
        {
          agent,
          hostname: server.hostname,
          port: server.port,
          method: 'PUT',
          path: `/api/v1/namespaces/bench-0/secrets/s-${i}`,
          headers: { ...opts.headers, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const steps = [];
  for (const rate of JSON.parse(process.argv[4])) {
    const statuses = [];
    const started = Date.now();
    let sent = 0;
    // 3 s at this rate, sent every 10 ms: long enough to fill a flow's queues (a hand of 6 × 50) when the rate is too high.
    while (Date.now() - started < 3000) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate);
      for (; sent < due; sent++) statuses.push(put(sent % 500));
      await new Promise((r) => setTimeout(r, 10));
    }
    const answered = await Promise.all(statuses);
    const seconds = (Date.now() - started) / 1000;
    steps.push({
      rate,
      accepted: answered.filter((c) => c === 200).length / seconds,
      rejected: answered.filter((c) => c === 429).length,
      sent: answered.length,
    });
    // Let the priority level's Retry-After fall back before the next step.
    await new Promise((r) => setTimeout(r, 2000));
  }
  agent.destroy();
  process.send({ steps });
}

function probeInChild(sim, user) {
  const dir = mkdtempSync(join(tmpdir(), 'certops-bench-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig({ user }));
  return new Promise((resolve, reject) => {
    const proc = fork(__filename, ['--probe', kubeconfig, JSON.stringify(PROBE_RATES)]);
    proc.on('message', resolve);
    proc.on('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code) reject(new Error(`probe exited ${code}`));
    });
  });
}

async function apfRounds(total) {
  const sim = await startSim(total);
  sim.addUser(SERVICE_ACCOUNT, ['system:serviceaccounts']);
  sim.grant(SERVICE_ACCOUNT, ['get', 'list', 'update'], ['secrets']);
  sim.grant(SERVICE_ACCOUNT, ['list'], ['namespaces']);
  sim.apf.configure(APF);
  console.log(
    `\nAPI Priority and Fairness on: certops' service account in workload-low, ${SEATS} seats, a write keeps its seat ${WRITE_MS} ms (capacity ${CAPACITY} writes/s), default queues (128, hand of 6, 50 each)`,
  );
  const { steps } = await probeInChild(sim, SERVICE_ACCOUNT);
  for (const step of steps)
    console.log(
      `  offered ${String(step.rate).padStart(4)} writes/s: accepted ${step.accepted.toFixed(0).padStart(4)}/s, answered 429: ${step.rejected}/${step.sent}`,
    );
  const onset = steps.find((step) => step.rejected > 0);
  console.log(
    onset
      ? `the simulated API server starts answering 429 at an offered ${onset.rate} writes/s (highest accepted rate: ${Math.max(...steps.map((st) => st.accepted)).toFixed(0)}/s)`
      : `no 429 up to ${PROBE_RATES.at(-1)} writes/s offered`,
  );

  let key = 10;
  const rows = [];
  const run = async (label, apf, opts) => {
    sim.apf.configure(apf);
    sim.encryption.setCurrentKey(String(++key));
    const before = rejectedSoFar(sim);
    const m =
      opts === 'kubectl'
        ? { seconds: await kubectlRun(sim, SERVICE_ACCOUNT), throttled: undefined }
        : await certopsInChild(sim, `apf-${key}`, { user: SERVICE_ACCOUNT, ...opts });
    const left = sim.encryption.secretsNotEncryptedWith(String(key)).length;
    rows.push({ label, ...m, rejected: rejectedSoFar(sim) - before, left });
  };
  await run('certops, default queues', APF, {});
  await run('certops, a queue of 8 (overflows at 32 in flight)', TIGHT_QUEUE, {});
  const cap = Math.round(CAPACITY * 0.8);
  await run(`certops, reencrypt.maxWritesPerSecond: ${cap}`, TIGHT_QUEUE, { maxWritesPerSecond: cap });
  await run('kubectl get -A -o json | kubectl replace -f -', APF, 'kubectl');
  await sim.stop();
  console.log(`secrets: ${total} in ${NAMESPACES} namespaces, as ${SERVICE_ACCOUNT}`);
  for (const r of rows) {
    console.log(
      r.seconds === undefined
        ? `${r.label}: failed or kubectl absent`
        : `${r.label}: ${r.seconds.toFixed(2)} s (${Math.round(total / r.seconds)} secrets/s), 429 answered: ${r.rejected}${r.throttled !== undefined ? ` (waited out by certops: ${r.throttled})` : ''}, not re-encrypted after: ${r.left}`,
    );
  }
  const kubectl = rows.at(-1).seconds;
  if (kubectl !== undefined)
    console.log(
      `certops (default queues) is ${(kubectl / rows[0].seconds).toFixed(1)}x as fast as kubectl under the same APF`,
    );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
