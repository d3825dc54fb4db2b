import type { SlashCommand } from '@slack/bolt';
import type { ClusterView } from '../../../src/digest/certificate-view';
import type { ReadCommandDeps } from '../../../src/digest/listeners/commands/status';
import type { SubcommandContext, SubcommandHandler } from '../../../src/slack/commands/context';
import { silentLogger } from '../../../src/util/logger';
import { fakeBolt, fakeDirectory } from '../../helpers/fake-bolt';
import { NOW, THRESHOLDS, cert, kmsKey, scan } from './fixtures';

// What /certs status and /certs expiring read: aks-prod with an expired certificate, a KMS key in warning whose
// vault holds a newer version, and a healthy certificate; lab never scanned.
export const VIEWS: ClusterView[] = [
  {
    name: 'aks-prod',
    kinds: ['aks', 'kms'],
    latest: {
      scan: scan(
        'aks-prod',
        [cert('shop-tls', -2), cert('api-tls', 200)],
        [kmsKey('aks-prod', 19, { keyName: 'etcd-kms', newerVersion: true })],
      ),
      at: new Date(NOW.getTime() - 2 * 3600_000),
    },
  },
  { name: 'lab', kinds: [] },
];

export function readSetup() {
  const reads: Array<{ cluster: string | undefined; refresh: boolean }> = [];
  const directory = fakeDirectory(
    { readers: ['U0READER'], operators: ['U0OPERATOR'], approvers: [] },
    { U0GUEST: { isRestricted: true } },
  );
  const deps: ReadCommandDeps = {
    clusterNames: () => ['aks-prod', 'lab'],
    directory,
    readViews: (cluster, refresh) => {
      reads.push({ cluster, refresh });
      const views = VIEWS.filter((v) => !cluster || v.name === cluster);
      return Promise.resolve({ views, refreshed: new Set(refresh ? views.map((v) => v.name) : []) });
    },
    thresholds: THRESHOLDS,
    now: () => NOW,
  };
  return { deps, reads, directory };
}

export function runSubcommand(handler: SubcommandHandler, userId: string, args: string[]) {
  const bolt = fakeBolt();
  const sc = {
    command: {
      user_id: userId,
      user_name: userId.toLowerCase(),
      channel_id: 'C0PLATFORM',
      text: args.join(' '),
    } as SlashCommand,
    args,
    client: bolt.client,
    respond: bolt.respond,
    logger: silentLogger(),
  } as unknown as SubcommandContext;
  return { bolt, done: handler(sc) };
}

/** Every text of an answer's blocks, joined: what a reader sees. */
export function answerText(response: Record<string, unknown> | undefined): string {
  return JSON.stringify(response?.blocks ?? []);
}
