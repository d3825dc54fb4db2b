import type { StaticSelectAction } from '@slack/bolt';
import { rotateFormChoiceListener } from '../../../src/approvals/listeners/rotate-form-choice';
import { paramFields } from '../../../src/core/operations';
import { ApprovalBlockIds, CallbackIds, rotateParamBlockId, rotateParamInputId } from '../../../src/slack/ids';
import type { ActionArgs } from '../../../src/slack/listener-args';
import { CHANNEL, USERS, callsOf, ephemerals, world, type World } from './listener-world';

type Block = { block_id?: string; element?: { initial_value?: string; initial_option?: { value: string } } };

const ids = ApprovalBlockIds;
const select = (value: string) => ({
  type: 'static_select',
  selected_option: { value, text: { type: 'plain_text', text: value } },
});
const text = (value: string) => ({ type: 'plain_text_input', value });
// An AKS cluster with a KMS key: its KMS operations ask for parameters (a key id).
const AKS_PROD = {
  name: 'aks-prod',
  aks: { subscriptionId: 's', resourceGroup: 'rg', name: 'aks-prod', armEndpoint: 'https://management.azure.com' },
  kms: { keyVaultUrl: 'https://v.vault.azure.net', keyName: 'etcd', verifyChallengeResource: true },
};
const KEY_ID = 'https://v.vault.azure.net/keys/etcd/0123456789abcdef';
const keyId = paramFields('kms-change-key')[0]?.key ?? 'missing';

function formDeps(w: World) {
  return { config: { clusters: [...w.deps.config.clusters, AKS_PROD] }, logger: w.deps.logger };
}

/** The form as Slack sends it back when a pick dispatches an action: what is picked and typed so far. */
function pick(w: World, values: Record<string, Record<string, unknown>>): ActionArgs<StaticSelectAction> {
  const view = {
    id: 'V0FORM',
    hash: '1733390000.abcd',
    callback_id: CallbackIds.rotateModal,
    private_metadata: JSON.stringify({ channel: CHANNEL }),
    state: { values },
    blocks: [],
  };
  const body = {
    type: 'block_actions',
    user: { id: USERS.requester, name: 'operator', team_id: 'T0CERTOPS' },
    view,
    actions: [],
    trigger_id: 'trigger-1',
  };
  const action = {
    type: 'static_select',
    action_id: ids.rotateOperationSelect,
    block_id: ids.rotateOperation,
    action_ts: '1',
  };
  return {
    ack: w.bolt.ack,
    respond: w.bolt.respond,
    client: w.bolt.client,
    body,
    action,
  } as unknown as ActionArgs<StaticSelectAction>;
}

function redrawn(w: World): { view_id: unknown; hash: unknown; blocks: Block[]; private_metadata: string } {
  const [update] = callsOf(w, 'views.update');
  const view = update?.view as { blocks: Block[]; private_metadata: string };
  return { view_id: update?.view_id, hash: update?.hash, ...view };
}

const block = (blocks: Block[], id: string) => blocks.find((b) => b.block_id === id);

describe('Rotation form pick listener (redraws the form)', () => {
  it('redraws for the picked operation and keeps what was typed: reason, confirmation, parameters (issue 21)', async () => {
    const w = world();
    await rotateFormChoiceListener(formDeps(w))(
      pick(w, {
        [ids.rotateCluster]: { [ids.rotateClusterSelect]: select('aks-prod') },
        [ids.rotateOperation]: { [ids.rotateOperationSelect]: select('kms-change-key') },
        [ids.rotateReason]: { [ids.rotateReasonInput]: text('the old key expires Friday') },
        [ids.rotateConfirm]: { [ids.rotateConfirmInput]: text('aks-prod') },
        [rotateParamBlockId(keyId)]: { [rotateParamInputId(keyId)]: text(KEY_ID) },
      }),
    );
    expect(w.bolt.ack).toHaveBeenCalledTimes(1);
    const form = redrawn(w);
    expect([form.view_id, form.hash]).toEqual(['V0FORM', '1733390000.abcd']);
    expect(JSON.parse(form.private_metadata)).toEqual({ channel: CHANNEL });
    expect(block(form.blocks, ids.rotateCluster)?.element?.initial_option?.value).toBe('aks-prod');
    expect(block(form.blocks, ids.rotateOperation)?.element?.initial_option?.value).toBe('kms-change-key');
    expect(block(form.blocks, ids.rotateReason)?.element?.initial_value).toBe('the old key expires Friday');
    expect(block(form.blocks, ids.rotateConfirm)?.element?.initial_value).toBe('aks-prod');
    expect(block(form.blocks, rotateParamBlockId(keyId))?.element?.initial_value).toBe(KEY_ID);
  });

  it('keeps the reason when the cluster changes to one that does not offer the operation (its parameters go with it)', async () => {
    const w = world();
    await rotateFormChoiceListener(formDeps(w))(
      pick(w, {
        [ids.rotateCluster]: { [ids.rotateClusterSelect]: select('prod') },
        [ids.rotateOperation]: { [ids.rotateOperationSelect]: select('kms-change-key') },
        [ids.rotateReason]: { [ids.rotateReasonInput]: text('key rotated yesterday') },
        [rotateParamBlockId(keyId)]: { [rotateParamInputId(keyId)]: text(KEY_ID) },
      }),
    );
    const form = redrawn(w);
    expect(block(form.blocks, ids.rotateReason)?.element?.initial_value).toBe('key rotated yesterday');
    expect(block(form.blocks, ids.rotateOperation)?.element?.initial_option).toBeUndefined();
    expect(block(form.blocks, rotateParamBlockId(keyId))).toBeUndefined();
  });

  it('draws a form with nothing typed without initial values', async () => {
    const w = world();
    await rotateFormChoiceListener(w.deps)(
      pick(w, { [ids.rotateCluster]: { [ids.rotateClusterSelect]: select('prod') } }),
    );
    const form = redrawn(w);
    expect(block(form.blocks, ids.rotateReason)?.element?.initial_value).toBeUndefined();
    expect(block(form.blocks, ids.rotateConfirm)?.element?.initial_value).toBeUndefined();
  });

  it('lets a newer pick win silently when Slack answers hash_conflict', async () => {
    const w = world({
      slack: {
        'views.update': () =>
          Promise.reject(Object.assign(new Error('hash_conflict'), { data: { ok: false, error: 'hash_conflict' } })),
      },
    });
    await rotateFormChoiceListener(w.deps)(
      pick(w, { [ids.rotateCluster]: { [ids.rotateClusterSelect]: select('prod') } }),
    );
    expect(ephemerals(w)).toEqual([]);
  });

  it('tells the person to open the form again when the redraw fails otherwise', async () => {
    const w = world({
      slack: {
        'views.update': () =>
          Promise.reject(Object.assign(new Error('not_found'), { data: { ok: false, error: 'not_found' } })),
      },
    });
    await rotateFormChoiceListener(w.deps)(
      pick(w, { [ids.rotateCluster]: { [ids.rotateClusterSelect]: select('prod') } }),
    );
    expect(ephemerals(w)).toEqual([
      expect.stringMatching(
        /^Something went wrong while updating the rotation form\. Open the form again with \/certs rotate\.$/,
      ),
    ]);
  });
});
