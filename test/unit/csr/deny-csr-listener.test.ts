import { UNKNOWN_CSR_BUTTON } from '../../../src/csr/blocks/csr-button-value';
import { parseDenyModalMetadata } from '../../../src/csr/blocks/csr-deny-modal';
import { denyCsrListener } from '../../../src/csr/listeners/deny-csr';
import { CallbackIds } from '../../../src/slack/ids';
import { silentLogger } from '../../../src/util/logger';
import { CHANNEL, FORGED_VALUES, TARGET, VALUE, click, directory, ephemerals } from './listener-fixtures';

const deps = () => ({ directory: directory(), logger: silentLogger() });

describe('Deny CSR listener', () => {
  it.each(FORGED_VALUES)('refuses %s and opens no form', async (_case, value) => {
    const { bolt, args } = click('U0OPERATOR', value);
    await denyCsrListener(deps())(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(bolt.calls.filter((c) => c.method === 'views.open')).toEqual([]);
    expect(ephemerals(bolt)).toEqual([
      { channel: CHANNEL, user: 'U0OPERATOR', text: UNKNOWN_CSR_BUTTON, problem: true },
    ]);
  });

  it.each([
    ['someone with no role', 'U0NOBODY', /needs an operator or approver/],
    ['a guest listed as an operator', 'U0GUEST', /needs an operator or approver\. .*guest/],
  ])('refuses %s before the form opens, naming the CSR and the cluster', async (_case, user, why) => {
    const d = deps();
    const { bolt, args } = click(user, VALUE);
    await denyCsrListener(d)(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(d.directory.asked).toEqual([{ userId: user, cluster: 'prod', opts: undefined }]);
    expect(bolt.calls.filter((c) => c.method === 'views.open')).toEqual([]);
    expect(ephemerals(bolt)).toEqual([{ channel: CHANNEL, user, text: expect.stringMatching(why), problem: true }]);
    expect(ephemerals(bolt)[0]?.text).toContain('You may not deny CSR csr-abc on prod');
  });

  // The submission authorises again (deny-csr-submission): rights can change while the form is open.
  it.each(['U0OPERATOR', 'U0APPROVER'])(
    'opens the reason form for %s with the CSR and the channel in its metadata',
    async (user) => {
      const { bolt, args } = click(user, VALUE);
      await denyCsrListener(deps())(args);
      expect(bolt.ack).toHaveBeenCalledTimes(1);
      expect(bolt.calls.map((c) => c.method)).toEqual(['views.open']);
      const opened = bolt.calls[0]?.args as {
        trigger_id: string;
        view: { callback_id?: string; private_metadata?: string };
      };
      expect(opened.trigger_id).toBe('trigger-1');
      expect(opened.view.callback_id).toBe(CallbackIds.denyCsrModal);
      expect(parseDenyModalMetadata(opened.view.private_metadata)).toEqual({ ...TARGET, channel: CHANNEL });
    },
  );

  it('leaves the channel out of the form when the click came from outside a channel', async () => {
    const { bolt, args } = click('U0OPERATOR', VALUE, {});
    await denyCsrListener(deps())(args);
    const opened = bolt.calls[0]?.args as { view: { private_metadata?: string } };
    expect(parseDenyModalMetadata(opened.view.private_metadata)).toEqual(TARGET);
  });

  it('says what to do when the form cannot be opened', async () => {
    const { bolt, args } = click(
      'U0OPERATOR',
      VALUE,
      { channel: CHANNEL, ts: '1.1' },
      { 'views.open': () => Promise.reject(new Error('expired_trigger_id')) },
    );
    await denyCsrListener(deps())(args);
    expect(ephemerals(bolt)).toEqual([
      expect.objectContaining({
        problem: true,
        text: "Something went wrong while opening the deny form. The CSR may be unchanged: try again, or check certops' log.",
      }),
    ]);
  });
});
