import { UNKNOWN_CSR_BUTTON } from '../../../src/csr/blocks/csr-button-value';
import { parseDenyModalMetadata } from '../../../src/csr/blocks/csr-deny-modal';
import { denyCsrListener } from '../../../src/csr/listeners/deny-csr';
import { CallbackIds } from '../../../src/slack/ids';
import { silentLogger } from '../../../src/util/logger';
import { CHANNEL, FORGED_VALUES, TARGET, VALUE, click, ephemerals } from './listener-fixtures';

describe('Deny CSR listener', () => {
  it.each(FORGED_VALUES)('refuses %s and opens no form', async (_case, value) => {
    const { bolt, args } = click('U0OPERATOR', value);
    await denyCsrListener({ logger: silentLogger() })(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(bolt.calls.filter((c) => c.method === 'views.open')).toEqual([]);
    expect(ephemerals(bolt)).toEqual([{ channel: CHANNEL, user: 'U0OPERATOR', text: UNKNOWN_CSR_BUTTON, problem: true }]);
  });

  // The trigger id lives 3 s, so the form opens for whoever clicks; the submission authorises (deny-csr-submission).
  it.each(['U0OPERATOR', 'U0NOBODY'])('opens the reason form for %s with the CSR and the channel in its metadata', async (user) => {
    const { bolt, args } = click(user, VALUE);
    await denyCsrListener({ logger: silentLogger() })(args);
    expect(bolt.ack).toHaveBeenCalledTimes(1);
    expect(bolt.calls.map((c) => c.method)).toEqual(['views.open']);
    const opened = bolt.calls[0]?.args as { trigger_id: string; view: { callback_id?: string; private_metadata?: string } };
    expect(opened.trigger_id).toBe('trigger-1');
    expect(opened.view.callback_id).toBe(CallbackIds.denyCsrModal);
    expect(parseDenyModalMetadata(opened.view.private_metadata)).toEqual({ ...TARGET, channel: CHANNEL });
  });

  it('leaves the channel out of the form when the click came from outside a channel', async () => {
    const { bolt, args } = click('U0OPERATOR', VALUE, {});
    await denyCsrListener({ logger: silentLogger() })(args);
    const opened = bolt.calls[0]?.args as { view: { private_metadata?: string } };
    expect(parseDenyModalMetadata(opened.view.private_metadata)).toEqual(TARGET);
  });

  it('says what to do when the form cannot be opened', async () => {
    const { bolt, args } = click('U0OPERATOR', VALUE, { channel: CHANNEL, ts: '1.1' }, { 'views.open': () => Promise.reject(new Error('expired_trigger_id')) });
    await denyCsrListener({ logger: silentLogger() })(args);
    expect(ephemerals(bolt)).toEqual([expect.objectContaining({ problem: true, text: "Something went wrong while opening the deny form. The CSR may be unchanged: try again, or check certops' log." })]);
  });
});
