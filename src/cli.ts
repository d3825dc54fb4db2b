#!/usr/bin/env node
// The one entry point. Each command is loaded on demand so that `scan`, `csr check` and
// `check-config` never load Bolt, BullMQ or the Azure SDKs (start-up time matters for cron use).
import { Command, CommanderError, Option } from 'commander';
import { UsageError, errorMessage } from './util/errors';
import { scrubSecrets } from './util/scrub';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

const out = { stdout: process.stdout, stderr: process.stderr };

// Commander drops action return values; the commands' exit codes are kept here.
let commandExitCode = 0;
function exitWith(code: number): void {
  commandExitCode = code;
}

function globalConfig(command: Command): string | undefined {
  return command.optsWithGlobals<{ config?: string }>().config;
}

export function buildProgram(): Command {
  const program = new Command('certops')
    .description('Slack chat-ops for Kubernetes certificate operations (kubeadm and AKS)')
    .version(version, '-v, --version')
    .option('-c, --config <file>', 'configuration file (default: $CERTOPS_CONFIG or ./certops.yaml)')
    .configureOutput({
      // One line, no stack: "certops: unknown option '--x' (see certops --help)".
      outputError: (text, write) => write(`certops: ${text.trim().replace(/^error: /, '')} (see certops --help)\n`),
    })
    .exitOverride();

  program
    .command('start')
    .description('run the service: the Slack bot, the workers, or both')
    .addOption(new Option('--role <role>', 'which part to run').choices(['all', 'bot', 'worker']).default('all'))
    .action(async (opts: { role: 'all' | 'bot' | 'worker' }, cmd: Command) => {
      const { runStart } = await import('./commands/start.js');
      exitWith(await runStart({ config: globalConfig(cmd), role: opts.role }));
    });

  program
    .command('scan')
    .description('one-shot certificate inventory (no Slack, no Redis)')
    .option('--cluster <name>', 'a cluster from the configuration')
    .option('--kubeconfig <file>', 'an ad-hoc kubeconfig file')
    .option('--context <ctx>', 'the kubeconfig context to use')
    .option('--pki-dir <dir>', 'a kubeadm PKI folder such as /etc/kubernetes/pki')
    .option('--within <duration>', 'show only what expires within this duration, e.g. 30d')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--fail-within <duration>', 'exit 1 if anything expires within this duration')
    .action(async (opts: Record<string, string | undefined>, cmd: Command) => {
      const { runScan } = await import('./commands/scan.js');
      exitWith(await runScan({ ...opts, config: globalConfig(cmd) }, out));
    });

  const csr = program.command('csr').description('CertificateSigningRequest tools');
  csr
    .command('check')
    .description('the policy verdict on one PKCS#10 request, offline')
    .requiredOption('--file <csr.pem>', 'the PEM request')
    .option('--signer <name>', 'signer name', 'kubernetes.io/kubelet-serving')
    .option('--username <u>', 'the requesting user, as spec.username')
    .option('--groups <a,b>', 'the requesting groups')
    .option('--usages <list>', 'comma-separated key usages')
    .option('--node-addresses <list>', 'the Node status addresses (IPs and host names)')
    .addOption(new Option('--output <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (opts: { file: string }, cmd: Command) => {
      const { runCsrCheck } = await import('./commands/csr-check.js');
      exitWith(await runCsrCheck({ ...opts, config: globalConfig(cmd) }, out));
    });

  program
    .command('check-config')
    .description('load and validate the configuration and print what was understood')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { output: 'text' | 'json' }, cmd: Command) => {
      const { runCheckConfig } = await import('./commands/check-config.js');
      exitWith(await runCheckConfig({ config: globalConfig(cmd), output: opts.output }, out));
    });

  program
    .command('sandbox')
    .description('run the Kubernetes, Slack and Azure simulators and print their endpoints as one JSON line')
    .option('--state-dir <dir>', 'where to write the kubeconfig and CA file')
    .action(async (opts: { stateDir?: string }) => {
      const { runSandbox } = await import('./commands/sandbox.js');
      exitWith(await runSandbox(opts, out));
    });

  program
    .command('demo')
    .description('the whole product on one machine: simulators, bot, worker and a page that plays Slack')
    .option('--port <port>', 'port of the demo page', '8700')
    .action(async (opts: { port: string }, cmd: Command) => {
      const { runDemo } = await import('./commands/demo.js');
      exitWith(await runDemo({ ...opts, config: globalConfig(cmd) }, out));
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  commandExitCode = 0;
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; commander has already printed its one-line error.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`certops: ${scrubSecrets(err.message)}\n`);
      return 2;
    }
    process.stderr.write(`certops: ${scrubSecrets(errorMessage(err))}\n`);
    return 1;
  }
  return commandExitCode;
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`certops: ${errorMessage(err)}\n`);
      process.exitCode = 1;
    },
  );
}
