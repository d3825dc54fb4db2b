import { cardText, click, findCard, requestRotation } from '../helpers/approval-cards';
import { startAksSimStack, type AksSimStack } from '../helpers/aks-sim-stack';
import { OPS_CHANNEL, USERS, type E2eStack } from '../helpers/e2e-stack';

const ROTATE_POST = { method: 'POST', pathRegex: /rotateClusterCertificates/ };

// At most one rotation per cluster: a second approved request waits for the first, says so in its thread, and runs after it.
// The first rotation lasts 5 s: the thread notice is paced like every post in the channel (about one a second), and the
// first must still be running when the notice arrives for the test to see the wait.
describe('a busy cluster waits and says so', () => {
  let aks: AksSimStack;
  let stack: E2eStack;
  let sims: AksSimStack['sims'];

  beforeAll(async () => {
    aks = await startAksSimStack('busy', {
      pollIntervalMs: 50,
      progressIntervalMs: 100,
      backoffBaseMs: 50,
      busyRetryMs: 200,
    });
    sims = aks.sims;
    stack = aks.e2e(await aks.launch('all'));
  });

  afterAll(async () => {
    await aks?.stop();
  });

  /** A rotation request approved by both approvers; resolves once the second vote is in. */
  const approvedRotation = async (reason: string) => {
    const { card, id } = await requestRotation(stack, 'aks-rotate-certs', reason);
    await click(stack, USERS.approver1.id, card);
    await sims.slack.waitFor(() => cardText(findCard(stack, reason)!).includes('1 of 2'));
    await click(stack, USERS.approver2.id, card);
    return { card, id };
  };

  const threadText = (cardTs: string) =>
    sims.slack
      .thread(OPS_CHANNEL, cardTs)
      .map((m) => m.text ?? '')
      .join('\n');
  const finished = (reason: string, word: 'done' | 'failed') =>
    sims.slack.waitFor(() => cardText(findCard(stack, reason)!).includes(`— ${word}`));
  const operations = () =>
    sims.azure.cluster('rg-sim', 'sim-aks').history.filter((op) => op.kind === 'rotateClusterCertificates');

  /** Runs `first` (already submitted to ARM) and a second approved request; checks the second waits, says so, then runs. */
  const secondWaitsFor = async (first: { id: string }, secondReason: string) => {
    const second = await approvedRotation(secondReason);
    await sims.slack.waitFor(() => threadText(second.card.ts).includes(`waiting for ${first.id} on sim`) || undefined);
    // While it waits, nothing of the second reached Azure.
    expect(operations().filter((op) => op.status === 'InProgress')).toHaveLength(1);
    return second;
  };

  it('runs the second rotation of a cluster only after the first has finished', async () => {
    const postsBefore = sims.azure.requests(ROTATE_POST).length;
    sims.azure.faults.rotateDurationMs(5_000);
    const first = await approvedRotation('busy-first');
    await sims.slack.waitFor(() => sims.azure.requests(ROTATE_POST).length === postsBefore + 1 || undefined);
    await secondWaitsFor(first, 'busy-second');
    sims.azure.faults.rotateDurationMs(20);

    await finished('busy-first', 'done');
    await finished('busy-second', 'done');
    const [op1, op2] = operations().slice(-2);
    expect(sims.azure.requests(ROTATE_POST)).toHaveLength(postsBefore + 2);
    expect(op2!.startTime.getTime()).toBeGreaterThanOrEqual(op1!.endTime!.getTime());
  });

  it('releases the cluster when Azure fails the rotation, and the waiting request runs next', async () => {
    const postsBefore = sims.azure.requests(ROTATE_POST).length;
    sims.azure.faults.rotateDurationMs(5_000);
    sims.azure.faults.rotateOutcome('Failed');
    const failing = await approvedRotation('busy-failing');
    await sims.slack.waitFor(() => sims.azure.requests(ROTATE_POST).length === postsBefore + 1 || undefined);
    sims.azure.faults.rotateOutcome('Succeeded');
    sims.azure.faults.rotateDurationMs(20);
    await secondWaitsFor(failing, 'busy-after-failure');

    await finished('busy-failing', 'failed');
    await finished('busy-after-failure', 'done');
    const [failed, next] = operations().slice(-2);
    expect(failed!.status).toBe('Failed');
    expect(next!.status).toBe('Succeeded');
    expect(next!.startTime.getTime()).toBeGreaterThanOrEqual(failed!.endTime!.getTime());
  });
});
