import { UNKNOWN_CSR_BUTTON, encodeCsrButton } from '../../../src/csr/blocks/csr-button-value';
import { csrLookup } from '../../../src/csr/csr-lookup';
import type { CsrView } from '../../../src/csr/csr-summary';
import { reviewCsrListener, type ReviewCsrDeps } from '../../../src/csr/listeners/review-csr';
import type { OutgoingMessage } from '../../../src/slack/notifier/notifier';
import type { CsrMessageRef } from '../../../src/state/csr-message-map';
import { silentLogger } from '../../../src/util/logger';
import {
  CARD_TS,
  CHANNEL,
  FORGED_VALUES,
  TARGET,
  VALUE,
  click,
  config,
  directory,
  ephemerals,
  memoryCluster,
} from './listener-fixtures';

const GROUP_TS = CARD_TS;

/**
 * The real lookup over a cluster held in memory (or none); cards, the message map and the notifier are fakes
 * that record what they were given.
 */
async function setup(opts: { clusters?: 'memory' | 'none'; known?: CsrMessageRef; postFails?: boolean } = {}) {
  const cfg = config();
  const memory = await memoryCluster(cfg);
  const drawn: CsrView[] = [];
  const posted: OutgoingMessage[] = [];
  const stored: Array<[string, CsrMessageRef]> = [];
  const looked: string[] = [];
  const people = directory();
  const deps: ReviewCsrDeps = {
    directory: people,
    lookup: csrLookup(opts.clusters === 'none' ? new Map() : memory.clusters, cfg),
    cards: {
      card: (summary) => {
        drawn.push(summary);
        return Promise.resolve({ text: `card of ${summary.name}`, blocks: [{ type: 'divider' }] });
      },
    },
    csrMessages: {
      get: (uid) => Promise.resolve(void looked.push(uid)).then(() => opts.known),
      put: (uid, ref) => Promise.resolve(void stored.push([uid, ref])),
    },
    notifier: {
      post: (message) => {
        posted.push(message);
        return opts.postFails
          ? Promise.reject(new Error('channel_not_found'))
          : Promise.resolve({ channel: CHANNEL, ts: '1733390000.000300' });
      },
    },
    logger: silentLogger(),
  };
  return { deps, drawn, posted, stored, looked, people, reads: memory.reads };
}

describe('Review CSR listener', () => {
  it.each(FORGED_VALUES)('refuses %s before any lookup', async (_case, value) => {
    const { deps, looked, posted } = await setup();
    const { bolt, args } = click('U0OPERATOR', value);
    await reviewCsrListener(deps)(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(looked).toEqual([]);
    expect(posted).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      { channel: CHANNEL, user: 'U0OPERATOR', text: UNKNOWN_CSR_BUTTON, problem: true },
    ]);
  });

  it.each([
    ['someone with no role', 'U0NOBODY'],
    ['a guest listed as an operator', 'U0GUEST'],
  ])("refuses %s before reading the CSR: its card is for the cluster's readers", async (_case, user) => {
    const { deps, looked, posted, drawn, people } = await setup();
    const { bolt, args } = click(user, VALUE, { channel: CHANNEL, ts: GROUP_TS });
    await reviewCsrListener(deps)(args);
    expect(people.asked).toEqual([{ userId: user, cluster: 'prod', opts: undefined }]);
    expect(looked).toEqual([]);
    expect(drawn).toEqual([]);
    expect(posted).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      {
        channel: CHANNEL,
        user,
        text: expect.stringContaining('Only readers, operators and approvers of prod review its CSRs.'),
        problem: true,
      },
    ]);
  });

  it('refuses a click that comes with no grouped message to thread under', async () => {
    const { deps, looked } = await setup();
    const { bolt, args } = click('U0OPERATOR', VALUE, { channel: CHANNEL });
    await reviewCsrListener(deps)(args);
    expect(looked).toEqual([]);
    expect(ephemerals(bolt)).toEqual([expect.objectContaining({ text: UNKNOWN_CSR_BUTTON, problem: true })]);
  });

  it('points at the card when it is already in the thread, and posts nothing', async () => {
    const known: CsrMessageRef = {
      cluster: 'prod',
      channel: CHANNEL,
      ts: '1733390000.000250',
      threadTs: GROUP_TS,
      status: 'pending',
    };
    const { deps, posted, reads } = await setup({ known });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await reviewCsrListener(deps)(args);
    expect(reads).toEqual([]);
    expect(posted).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      {
        channel: CHANNEL,
        user: 'U0OPERATOR',
        thread_ts: GROUP_TS,
        text: "The card of csr-abc is already in this message's thread.",
        problem: false,
      },
    ]);
  });

  it.each([
    ['a CSR the cluster no longer has', 'memory', encodeCsrButton({ ...TARGET, name: 'csr-gone' })],
    ['a CSR replaced by another of the same name', 'memory', encodeCsrButton({ ...TARGET, uid: 'uid-2' })],
    ['a cluster this certops does not watch', 'none', VALUE],
  ] as const)('says %s no longer exists, and posts nothing', async (_case, clusters, value) => {
    const { deps, posted, stored } = await setup({ clusters });
    const { bolt, args } = click('U0OPERATOR', value);
    await reviewCsrListener(deps)(args);
    expect(posted).toEqual([]);
    expect(stored).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: expect.stringMatching(/^CSR csr-[a-z]+ no longer exists on prod\.$/),
      }),
    ]);
  });

  it.each([
    ['the grouped message', { channel: CHANNEL, ts: GROUP_TS }],
    ['a reply in its thread', { channel: CHANNEL, ts: '1733390000.000900', threadTs: GROUP_TS }],
  ])('posts the reviewed card in the thread of %s and records where it landed', async (_case, where) => {
    const { deps, drawn, posted, stored } = await setup();
    const { bolt, args } = click('U0OPERATOR', VALUE, where);
    await reviewCsrListener(deps)(args);
    expect(drawn.map((s) => [s.cluster, s.name, s.uid, s.state])).toEqual([['prod', 'csr-abc', 'uid-1', 'pending']]);
    expect(posted).toEqual([
      { channel: CHANNEL, threadTs: GROUP_TS, text: 'card of csr-abc', blocks: [{ type: 'divider' }] },
    ]);
    expect(stored).toEqual([
      ['uid-1', { cluster: 'prod', channel: CHANNEL, ts: '1733390000.000300', threadTs: GROUP_TS, status: 'pending' }],
    ]);
    expect(ephemerals(bolt)).toEqual([]);
  });

  it('says what happened when the card cannot be posted, and records nothing', async () => {
    const { deps, stored } = await setup({ postFails: true });
    const { bolt, args } = click('U0OPERATOR', VALUE);
    await reviewCsrListener(deps)(args);
    expect(stored).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: "Something went wrong while posting the CSR card. The CSR may be unchanged: try again, or check certops' log.",
      }),
    ]);
  });
});
