import {
  requestButtonListener,
  UNKNOWN_REQUEST_BUTTON,
  type RequestButtonHandler,
} from '../../../src/approvals/listeners/request-button';
import { silentLogger } from '../../../src/util/logger';
import { CHANNEL, USERS, callsOf, click, world } from './listener-world';

// The adapter every acting button of a request card shares: the id's shape is checked before the handler runs.

function listener(handle: RequestButtonHandler) {
  return requestButtonListener({ logger: silentLogger() }, 'certops_request_approve', 'doing the thing', handle);
}

describe('request card button adapter', () => {
  it.each([
    ['a forged id', 'R0000000A; rm'],
    ['an id too long', `R${'A'.repeat(400)}`],
    ['no value', undefined],
  ])('answers %s with the unknown-button text and never calls the handler', async (_case, value) => {
    const w = world();
    const handle = jest.fn<ReturnType<RequestButtonHandler>, Parameters<RequestButtonHandler>>();
    await listener(handle)(click(w, USERS.approver1, 'certops_request_approve', value));
    expect(w.bolt.ack).toHaveBeenCalledTimes(1);
    expect(handle).not.toHaveBeenCalled();
    expect(callsOf(w, 'chat.postEphemeral')).toEqual([
      expect.objectContaining({ channel: CHANNEL, user: USERS.approver1, text: UNKNOWN_REQUEST_BUTTON }),
    ]);
  });

  it('hands the handler the request id and the clicker, and answers its text to the clicker alone', async () => {
    const w = world();
    const handle = jest.fn<ReturnType<RequestButtonHandler>, Parameters<RequestButtonHandler>>(() =>
      Promise.resolve({ text: 'done' }),
    );
    await listener(handle)(click(w, USERS.approver1, 'certops_request_approve', 'R0000000AA'));
    expect(handle).toHaveBeenCalledWith(expect.objectContaining({ requestId: 'R0000000AA', user: USERS.approver1 }));
    const [answer] = callsOf(w, 'chat.postEphemeral');
    expect(answer).toEqual(expect.objectContaining({ channel: CHANNEL, user: USERS.approver1, text: 'done' }));
  });

  it('answers in the clicker’s direct messages when the card is not in a channel', async () => {
    const w = world();
    await listener(() => Promise.resolve({ text: 'done' }))(
      click(w, USERS.approver1, 'certops_request_approve', 'R0000000AA', {}),
    );
    expect(callsOf(w, 'chat.postEphemeral')).toEqual([
      expect.objectContaining({ channel: USERS.approver1, user: USERS.approver1 }),
    ]);
  });

  it('draws a refused answer as a problem, and an unexpected error as what failed and what to do', async () => {
    const w = world();
    await listener(() => Promise.resolve({ text: 'no', refused: true }))(
      click(w, USERS.approver1, 'certops_request_approve', 'R0000000AA'),
    );
    await listener(() => Promise.reject(new Error('boom')))(
      click(w, USERS.approver1, 'certops_request_approve', 'R0000000AA'),
    );
    const [refused, failed] = callsOf(w, 'chat.postEphemeral');
    expect(JSON.stringify(refused?.blocks)).not.toEqual(
      JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: 'no' } }]),
    );
    expect(failed?.text).toMatch(
      /^Something went wrong while doing the thing\. The error is in certops' log; check the request card before trying again\.$/,
    );
    expect(JSON.stringify(failed)).not.toContain('boom');
  });
});
