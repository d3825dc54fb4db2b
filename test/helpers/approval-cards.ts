import { Redis } from 'ioredis';
import { createQueues } from '../../src/queue/queues';
import type { Simulators } from '../../src/sandbox/harness/simulators';
import type { SimMessage } from '../../src/sandbox/slack';
import { ActionIds } from '../../src/slack/ids';
import { OPS_CHANNEL, REDIS_URL, USERS, type E2eStack } from './e2e-stack';

type Button = { action_id?: string; value?: string };

/** The request id an approval card carries on its Approve button (or in its context line once decided). */
export function cardRequestId(card: SimMessage): string | undefined {
  for (const block of card.blocks) {
    const approve = ((block.elements as Button[] | undefined) ?? []).find(
      (e) => e.action_id === ActionIds.approveRequest,
    );
    if (approve?.value) return approve.value;
  }
  return /Request `(R[0-9A-Z]+)`/.exec(JSON.stringify(card.blocks))?.[1];
}

export function cardText(card: SimMessage): string {
  return JSON.stringify(card.blocks);
}

/** The card whose reason is `reason` (reasons are unique per test). */
export function findCard(stack: E2eStack, reason: string): SimMessage | undefined {
  return stack.sims.slack.messages(OPS_CHANNEL).find((m) => !m.thread_ts && cardText(m).includes(reason));
}

/** `/certs rotate <operation> sim <reason>` by the requester; resolves with the posted card and its request id. */
export async function requestRotation(
  stack: E2eStack,
  operation: string,
  reason: string,
  userId: string = USERS.requester.id,
): Promise<{ card: SimMessage; id: string }> {
  await stack.driver.slashCommand({
    userId,
    channelId: OPS_CHANNEL,
    text: `rotate ${operation} sim ${reason} --confirm sim`,
  });
  const card = await stack.sims.slack.waitFor(() => findCard(stack, reason));
  const id = cardRequestId(card);
  if (!id) throw new Error(`card without a request id: ${cardText(card)}`);
  return { card, id };
}

/** A click on the card; the request id is sent as the button's value even when the card no longer shows buttons (a client with a stale render). */
export function click(stack: E2eStack, userId: string, card: SimMessage, actionId: string = ActionIds.approveRequest) {
  const value = cardRequestId(card);
  return stack.driver.blockAction({
    userId,
    channelId: OPS_CHANNEL,
    messageTs: card.ts,
    actionId,
    ...(value ? { value } : {}),
  });
}

/** The newest ephemeral to `userId` whose text matches. */
export function waitForEphemeral(stack: E2eStack, userId: string, pattern: RegExp): Promise<string> {
  return stack.sims.slack.waitFor(() =>
    stack.sims.slack
      .ephemerals(OPS_CHANNEL, userId)
      .map((e) => `${e.text} ${JSON.stringify(e.blocks)}`)
      .find((t) => pattern.test(t)),
  );
}

/** The BullMQ job with id = request id on the rotations queue under the stack's prefix, if any. */
export async function rotationJob(
  stack: E2eStack,
  requestId: string,
): Promise<{ id?: string; name: string; data: unknown } | undefined> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queues = createQueues(connection, stack.prefix);
  try {
    const job = await queues.rotations.getJob(requestId);
    return job ? { id: job.id, name: job.name, data: job.data } : undefined;
  } finally {
    await queues.close();
    await connection.quit();
  }
}

/** The e2e cluster `sim` with an AKS block on the Azure simulator, so that aks-rotate-certs is offered. */
export function simClusterWithAks(sims: Simulators): Record<string, unknown> {
  sims.azure.addCluster({ resourceGroup: 'rg-sim', name: 'sim-aks' });
  const aks = {
    subscriptionId: sims.azure.subscriptionId,
    resourceGroup: 'rg-sim',
    name: 'sim-aks',
    armEndpoint: sims.azure.armEndpoint,
  };
  return { name: 'sim', kubeconfig: sims.kubeconfigPath, channel: OPS_CHANNEL, aks };
}
