import type { SlashCommand } from '@slack/bolt';
import { configSchema } from '../../../src/config/schema';
import type { CsrSummary } from '../../../src/csr/csr-summary';
import { csrCommand, type CsrCommandDeps } from '../../../src/csr/listeners/csr-command';
import type { SubcommandContext } from '../../../src/slack/commands/context';
import { UsageError } from '../../../src/util/errors';
import { silentLogger } from '../../../src/util/logger';
import { fakeBolt, fakeDirectory } from '../../helpers/fake-bolt';
import { summary } from './summary-fixture';

// prod and staging are watched; dev is configured but was left out at startup (no channel, or no kubeconfig).
const CONFIG = configSchema.parse({
  clusters: [
    { name: 'prod', kubeconfig: '/unused', channel: 'C0PLATFORM' },
    { name: 'staging', kubeconfig: '/unused', channel: 'C0PLATFORM' },
    { name: 'dev', kubeconfig: '/unused' },
  ],
});

function setup(
  pending: Record<string, CsrSummary[] | Error> = {
    prod: [summary({ cluster: 'prod', name: 'csr-prod-1' })],
    staging: [],
  },
) {
  const asked: string[] = [];
  const directory = fakeDirectory(
    { readers: ['U0READER'], operators: ['U0OPERATOR', 'U0GUEST'], approvers: [] },
    { U0GUEST: { isRestricted: true } },
  );
  const deps: CsrCommandDeps = {
    directory,
    config: CONFIG,
    lookup: {
      watched: () => ['prod', 'staging'],
      pending: (cluster) => {
        asked.push(cluster);
        const answer = pending[cluster] ?? [];
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    },
  };
  return { deps, asked, directory };
}

function run(deps: CsrCommandDeps, userId: string, args: string[]) {
  const bolt = fakeBolt();
  const sc = {
    command: { user_id: userId, text: ['csr', ...args].join(' ') } as SlashCommand,
    args,
    client: bolt.client,
    respond: bolt.respond,
    logger: silentLogger(),
  } as unknown as SubcommandContext;
  return { bolt, done: csrCommand(deps)(sc) };
}

const sectionTexts = (response: Record<string, unknown> | undefined) =>
  ((response?.blocks ?? []) as Array<{ text?: { text?: string } }>).map((b) => b.text?.text ?? '');

describe('/certs csr listener', () => {
  it.each([
    ['a cluster certops does not know', 'nope'],
    ['a cluster name with markup', '<!channel>'],
  ])('rejects %s with the usage and the known clusters, before any lookup', async (_case, cluster) => {
    const { deps, asked, directory } = setup();
    const { bolt, done } = run(deps, 'U0READER', [cluster]);
    await expect(done).rejects.toThrow(UsageError);
    await expect(done).rejects.toThrow('Usage: `/certs csr [cluster]`. Clusters: `prod`, `staging`, `dev`.');
    expect(directory.lookups).toEqual([]);
    expect(asked).toEqual([]);
    expect(bolt.respond).not.toHaveBeenCalled();
  });

  it.each([
    ['someone with no role', 'U0NOBODY', []],
    ['someone with no role, naming a cluster', 'U0NOBODY', ['prod']],
    ['a guest listed as an operator', 'U0GUEST', []],
  ])('tells %s that the inventory is for its readers, and lists nothing', async (_case, user, args) => {
    const { deps, asked } = setup();
    const { bolt, done } = run(deps, user, args);
    await done;
    expect(asked).toEqual([]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^Sorry, this shows the certificate inventory of /),
      }),
    ]);
  });

  it('says which configured cluster is not watched, and why that may be', async () => {
    const { deps, asked } = setup();
    const { done } = run(deps, 'U0READER', ['dev']);
    await expect(done).rejects.toThrow(
      /certops does not watch the CSRs of `dev`: it has no Slack channel .* or its kubeconfig did not load/,
    );
    expect(asked).toEqual([]);
  });

  it('lists the pending CSRs of every watched cluster, only to the reader', async () => {
    const { deps, asked } = setup();
    const { bolt, done } = run(deps, 'U0READER', []);
    await done;
    expect(asked.sort()).toEqual(['prod', 'staging']);
    const [answer] = bolt.responses();
    expect(answer).toEqual(expect.objectContaining({ response_type: 'ephemeral', text: '1 pending CSR' }));
    const texts = sectionTexts(answer);
    expect(texts[0]).toBe('*prod*: 1 pending');
    expect(texts[1]).toContain('csr-prod-1');
    expect(texts[2]).toBe('*staging*: no pending CSRs');
    expect(bolt.calls).toEqual([]);
  });

  it('lists only the named cluster', async () => {
    const { deps, asked } = setup();
    const { bolt, done } = run(deps, 'U0OPERATOR', ['staging']);
    await done;
    expect(asked).toEqual(['staging']);
    expect(sectionTexts(bolt.responses()[0])).toEqual(['*staging*: no pending CSRs']);
  });

  it('shows a cluster that cannot be listed beside the ones that can', async () => {
    const { deps } = setup({
      prod: new Error('connect ECONNREFUSED 10.0.0.1:443'),
      staging: [summary({ cluster: 'staging', name: 'csr-st-1' })],
    });
    const { bolt, done } = run(deps, 'U0READER', []);
    await done;
    const [answer] = bolt.responses();
    expect(answer?.text).toBe('1 pending CSR');
    const texts = sectionTexts(answer);
    expect(texts[0]).toBe('*prod*: could not list CSRs (`connect ECONNREFUSED 10.0.0.1:443`)');
    expect(texts[1]).toBe('*staging*: 1 pending');
  });

  it('says so when no cluster is watched', async () => {
    const { deps } = setup();
    const { bolt, done } = run({ ...deps, lookup: { ...deps.lookup, watched: () => [] } }, 'U0READER', []);
    await done;
    expect(bolt.responses()).toEqual([
      expect.objectContaining({
        text: '0 pending CSRs',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'No clusters configured.' } }],
      }),
    ]);
  });
});
