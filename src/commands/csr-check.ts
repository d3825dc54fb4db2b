import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { DEFAULT_CSR_POLICY, KUBELET_SERVING, inspectCsr, parseCsr, type NodeFacts } from '../core/csr';
import { csrPolicyFor } from '../csr/cluster-policy';
import { UsageError } from '../util/errors';
import { optionalConfig, outputFormat } from './render/command-input';
import { renderCsrJson, renderCsrText } from './render/csr-output';
import type { CommandOutput } from './scan';

export interface CsrCheckOptions {
  file: string;
  signer?: string;
  username?: string;
  groups?: string;
  usages?: string;
  nodeAddresses?: string;
  output?: string;
  config?: string;
}

const splitList = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);

/** --node-addresses 10.0.0.5,worker-1 → the Node as the cluster would describe it (IPs and host names). */
function nodeFromAddresses(addresses: string[] | undefined, commonName: string): NodeFacts | undefined {
  if (addresses === undefined) return undefined;
  return {
    name: commonName.replace(/^system:node:/, ''),
    addresses: addresses.map((address) => ({ type: isIP(address) ? 'InternalIP' : 'Hostname', address })),
    labels: {},
  };
}

/**
 * `certops csr check`: the policy verdict on one request, offline.
 * Exit 0 when the risk is low, 1 when high or invalid (so scripts can gate on it), 2 on bad usage.
 */
export async function runCsrCheck(opts: CsrCheckOptions, out: CommandOutput): Promise<number> {
  const format = outputFormat(opts.output);
  let content: Buffer;
  try {
    content = await readFile(opts.file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--file ${opts.file}: ${code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message)}`,
    );
  }
  const loaded = await optionalConfig(opts.config);
  const request = parseCsr(content);
  const verdict = await inspectCsr({
    request,
    signerName: opts.signer ?? KUBELET_SERVING,
    username: opts.username,
    groups: splitList(opts.groups),
    usages: splitList(opts.usages),
    node: nodeFromAddresses(splitList(opts.nodeAddresses), request.ok ? request.csr.subject.commonName : ''),
    config: loaded ? csrPolicyFor(loaded.config) : DEFAULT_CSR_POLICY,
  });
  out.stdout.write(format === 'json' ? renderCsrJson(verdict) : renderCsrText(verdict));
  return verdict.risk === 'low' ? 0 : 1;
}
