// A node pool scaling up: 300 kubelet-serving CSRs within 2 s against kube-sim, the real binary, and slack-sim
// with its chat.postMessage rate limit ON. Prints figures; asserts nothing.
// Build first: npx tsc -p tsconfig.build.json   Then: node bench/csr-burst.js [--csrs 300] [--clicks 100]
// CERTOPS_BENCH_PROFILE=DIR writes a CPU profile of the certops process into DIR (open it in Chrome DevTools).
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, openSync, writeFileSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const DIST = process.env.CERTOPS_DIST ?? join(__dirname, '..', 'dist');
const CHANNEL = 'C0BENCHOPS';
const OPERATOR = 'U0BENCHOP1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const USAGES = ['digital signature', 'key encipherment', 'server auth'];

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The simulators share this process: a check that reads hundreds of CSRs polls gently (`everyMs`), so the
// bench does not steal the API server's CPU; single-click latencies poll every 2 ms.
async function until(check, timeoutMs, what, everyMs = 2) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function startCertops(config, env) {
  const dir = mkdtempSync(join(tmpdir(), 'certops-bench-'));
  writeFileSync(join(dir, 'certops.yaml'), require('yaml').stringify(config));
  // Socket Mode opens no public port; readiness is on the metrics listener.
  const metricsPort = await freePort();
  const profile = process.env.CERTOPS_BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CERTOPS_BENCH_PROFILE}`]
    : [];
  const child = spawn(
    process.execPath,
    [...profile, join(DIST, 'cli.js'), 'start', '--role', 'bot', '--config', join(dir, 'certops.yaml')],
    {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', METRICS_PORT: String(metricsPort), ...env },
      // The log (warnings and errors) stays in the temporary folder, named if the run fails.
      stdio: ['ignore', openSync(join(dir, 'certops.log'), 'w'), 'inherit'],
    },
  );
  await until(
    async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`).catch(() => undefined))?.ok,
    30_000,
    'certops ready',
  );
  console.error(`certops log: ${join(dir, 'certops.log')}`);
  return {
    stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))),
    dir,
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  require('reflect-metadata');
  const { CertificatesV1Api, KubeConfig } = require('@kubernetes/client-node');
  const { startSimulators, sandboxEnvironment } = require(join(DIST, 'sandbox', 'harness', 'simulators.js'));
  const { createCsr } = require(join(DIST, 'sandbox', 'pki', 'issue.js'));
  const { encodeCsrButton } = require(join(DIST, 'slack', 'blocks', 'csr-button-value.js'));
  const { ActionIds } = require(join(DIST, 'slack', 'ids.js'));
  const { silentLogger } = require(join(DIST, 'util', 'logger.js'));
  const total = option('csrs', 300);
  const clicks = option('clicks', 100);

  const sims = await startSimulators({ logger: silentLogger(), slackRateLimit: true });
  sims.slack.addChannel({ id: CHANNEL, name: 'bench-ops' });
  sims.slack.addUser({ id: OPERATOR, name: 'oscar' });
  const prefix = `{bench-${randomBytes(4).toString('hex')}}`;
  const config = {
    slack: { mode: 'socket', defaultChannel: CHANNEL, roles: { operators: [OPERATOR], approvers: [] } },
    redis: { url: REDIS_URL, prefix },
    // The pool's names and addresses are proven by configuration, so its serving CSRs are low risk ("Approve all").
    csr: { dnsPatterns: ['pool-*'], ipPrefixes: ['10.1.0.0/16'] },
    clusters: [{ name: 'bench', kubeconfig: sims.kubeconfigPath, channel: CHANNEL }],
  };
  const certops = await startCertops(config, { ...sandboxEnvironment(sims), REDIS_URL });
  await sleep(1000); // leadership is taken on the first campaign tick

  // Kubelets: a Node object, a node identity and a prepared request each (key generation is not the burst).
  const nodes = Array.from({ length: total + clicks }, (_, i) => `pool-${i}`);
  const prepared = [];
  for (const [i, node] of nodes.entries()) {
    const ip = `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`;
    sims.kube.store.nodes.create({
      metadata: { name: node },
      status: {
        addresses: [
          { type: 'InternalIP', address: ip },
          { type: 'Hostname', address: node },
        ],
      },
    });
    sims.kube.addUser(`system:node:${node}`, ['system:nodes']);
    const kc = new KubeConfig();
    kc.loadFromString(sims.kube.kubeconfig({ user: `system:node:${node}` }));
    const { csrPem } = await createCsr({
      commonName: `system:node:${node}`,
      organizations: ['system:nodes'],
      dnsNames: [node],
      ipAddresses: [ip],
    });
    prepared.push({
      node,
      api: kc.makeApiClient(CertificatesV1Api),
      body: {
        metadata: { name: `csr-${node}` },
        spec: {
          request: Buffer.from(csrPem).toString('base64'),
          signerName: 'kubernetes.io/kubelet-serving',
          usages: USAGES,
        },
      },
    });
  }
  const create = async (items) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < items.length) {
          const item = items[next++];
          await item.api.createCertificateSigningRequest({ body: item.body });
        }
      }),
    );
  };

  // ---- the burst --------------------------------------------------------------------------------
  const burst = prepared.slice(0, total);
  const t0 = Date.now();
  await create(burst);
  const createdMs = Date.now() - t0;
  const posted = () => sims.slack.calls('chat.postMessage').filter((c) => c.status === 200);
  await until(() => posted().length > 0, 60_000, 'the first post');
  const firstPostMs = Date.now() - t0;
  const shown = () => {
    const text = sims.slack
      .messages(CHANNEL)
      .map((m) => JSON.stringify(m.blocks))
      .join('\n');
    return burst.filter((b) => text.includes(b.body.metadata.name) && /(Low|High) risk|Invalid/.test(text)).length;
  };
  await until(() => shown() === total, 120_000, 'every CSR shown', 25);
  const allShownMs = Date.now() - t0;
  const postCalls = sims.slack.calls('chat.postMessage');
  const rateLimited = postCalls.filter((c) => c.status === 429).length;

  // ---- Approve all --------------------------------------------------------------------------------
  const driver = sims.slack.driver({ socketMode: true });
  const approveAll = [];
  for (const message of sims.slack.messages(CHANNEL)) {
    for (const block of message.blocks)
      for (const el of block.elements ?? [])
        if (el.action_id === ActionIds.approveAllLowRisk) approveAll.push({ message, el });
  }
  const admin = new KubeConfig();
  admin.loadFromString(sims.kube.kubeconfig());
  const approvedCount = (names) =>
    names.filter((n) => (sims.kube.store.csrs.get(n)?.status?.conditions ?? []).some((c) => c.type === 'Approved'))
      .length;
  const burstNames = burst.map((b) => b.body.metadata.name);
  const t1 = Date.now();
  for (const { message, el } of approveAll) {
    await driver.blockAction({
      userId: OPERATOR,
      channelId: CHANNEL,
      messageTs: message.ts,
      actionId: el.action_id,
      value: el.value,
    });
  }
  await until(() => approvedCount(burstNames) === total, 180_000, 'every approval', 25).catch((err) => {
    const told = sims.slack
      .ephemerals(CHANNEL, OPERATOR)
      .map((e) => e.text)
      .slice(-3);
    throw new Error(
      `${err.message}: ${approvedCount(burstNames)}/${total} approved after ${approveAll.length} "Approve all" click(s); the operator was told: ${JSON.stringify(told)}`,
    );
  });
  const approveAllMs = Date.now() - t1;

  // ---- single clicks: click → approval PUT seen by kube-sim ---------------------------------------
  const singles = prepared.slice(total, total + clicks);
  await create(singles);
  await until(
    () => singles.every((s) => sims.kube.store.csrs.get(s.body.metadata.name)?.metadata.uid),
    30_000,
    'the click CSRs',
  );
  const latencies = [];
  for (const s of singles) {
    const csr = sims.kube.store.csrs.get(s.body.metadata.name);
    const value = encodeCsrButton({ cluster: 'bench', name: csr.metadata.name, uid: csr.metadata.uid });
    const start = process.hrtime.bigint();
    await driver.blockAction({ userId: OPERATOR, channelId: CHANNEL, actionId: ActionIds.approveCsr, value });
    await until(() => approvedCount([csr.metadata.name]) === 1, 30_000, 'a click approval');
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  latencies.sort((a, b) => a - b);

  console.log(`CSRs created:                       ${total} in ${createdMs} ms`);
  console.log(`chat.postMessage calls (200):       ${postCalls.length - rateLimited} (target <= 10)`);
  console.log(`chat.postMessage answered 429:      ${rateLimited} (all retried: ${shown() === total ? 'yes' : 'no'})`);
  console.log(`time to first post:                 ${firstPostMs} ms (target <= 5000)`);
  console.log(`every CSR shown with its verdict:   ${shown()}/${total} after ${allShownMs} ms`);
  console.log(
    `Approve all clicks:                 ${approveAll.length}; approvals seen by kube-sim: ${approvedCount(burstNames)}/${total} in ${approveAllMs} ms`,
  );
  console.log(
    `click -> approval PUT (${latencies.length} clicks): p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
  );

  await certops.stop();
  rmSync(certops.dir, { recursive: true, force: true });
  await sims.stop();
  const { Redis } = require('ioredis');
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
