import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { SlackSim, signedHeaders } from '../../../src/sandbox/slack';
import type { SlackDriver } from '../../../src/sandbox/slack';
import { quietSlackLogger } from './quiet-logger';

const approveButton = {
  type: 'actions',
  block_id: 'csr',
  elements: [
    { type: 'button', action_id: 'csr_approve', text: { type: 'plain_text', text: 'Approve' }, value: 'csr-node-1' },
  ],
};

const modal: ModalView = {
  type: 'modal',
  callback_id: 'rotate',
  title: { type: 'plain_text', text: 'Rotate' },
  submit: { type: 'plain_text', text: 'Request' },
  blocks: [
    {
      type: 'input',
      block_id: 'cluster',
      label: { type: 'plain_text', text: 'Cluster' },
      element: { type: 'plain_text_input', action_id: 'name' },
    },
  ],
};

describe('a Bolt app over HTTP, driven by the Slack simulator', () => {
  let sim: SlackSim;
  let app: App;
  let driver: SlackDriver;
  let now: number;
  const heard: string[] = [];

  beforeAll(async () => {
    now = Date.now();
    sim = await SlackSim.start({ clock: () => now, rateLimit: { enabled: false } });
    sim.addChannel({ id: 'C1', name: 'ops' });
    sim.addUser({ id: 'U1', name: 'alice' });
    app = new App({
      token: sim.botToken,
      signingSecret: sim.signingSecret,
      clientOptions: { slackApiUrl: sim.apiUrl, retryConfig: { retries: 0 } },
      logger: quietSlackLogger(),
    });
    app.command('/certs', async ({ command, ack, respond, client }) => {
      heard.push(`command:${command.text}`);
      if (command.text === 'rotate') {
        await ack();
        await client.views.open({ trigger_id: command.trigger_id, view: modal });
        // A second open with the same trigger is what a retrying handler would do.
        await client.views.open({ trigger_id: command.trigger_id, view: modal }).catch(() => undefined);
        return;
      }
      await ack();
      await respond({ response_type: 'ephemeral', text: `status for ${command.user_name}` });
    });
    app.action('csr_approve', async ({ ack, respond, body }) => {
      heard.push(`action:${(body as { actions: Array<{ value: string }> }).actions[0]?.value}`);
      await ack();
      await respond({ replace_original: true, text: 'Approved by alice' });
    });
    app.view('rotate', async ({ ack, view }) => {
      const cluster = view.state.values.cluster?.name?.value;
      if (!cluster) return ack({ response_action: 'errors', errors: { cluster: 'Name a cluster' } });
      heard.push(`submit:${cluster}`);
      await ack();
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    const { port } = server.address() as AddressInfo;
    driver = sim.driver({ requestUrl: `http://127.0.0.1:${port}/slack/events` });
  });

  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  it('delivers a signed slash command; respond() lands as an ephemeral message', async () => {
    const result = await driver.slashCommand({ userId: 'U1', channelId: 'C1', text: 'status' });
    expect(result.status).toBe(200);
    const reply = await sim.waitFor(() => sim.ephemerals('C1', 'U1').find((e) => e.via === 'response_url'));
    expect(reply.text).toBe('status for alice');
    expect(sim.responses().at(-1)).toMatchObject({ status: 200, channel: 'C1', user: 'U1' });
  });

  it('delivers a button click; respond() replaces the original message', async () => {
    const web = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl });
    const posted = await web.chat.postMessage({ channel: 'C1', text: 'CSR pending', blocks: [approveButton] });
    const result = await driver.blockAction({
      userId: 'U1',
      channelId: 'C1',
      messageTs: posted.ts,
      actionId: 'csr_approve',
    });
    expect(result.status).toBe(200);
    const message = await sim.waitFor(() => sim.messages('C1').find((m) => m.ts === posted.ts && m.edits.length > 0));
    expect(message.text).toBe('Approved by alice');
    expect(heard).toContain('action:csr-node-1');
  });

  it('answers a forged signature with 401 and never reaches the handler', async () => {
    const before = heard.length;
    const body = 'command=%2Fcerts&text=forged&user_id=U1&channel_id=C1';
    const forged = signedHeaders('not-the-secret', Math.floor(Date.now() / 1000), body);
    const result = await driver.raw(body, { 'content-type': 'application/x-www-form-urlencoded', ...forged });
    expect(result.status).toBe(401);
    const stale = signedHeaders(sim.signingSecret, Math.floor(Date.now() / 1000) - 600, body);
    expect((await driver.raw(body, { 'content-type': 'application/x-www-form-urlencoded', ...stale })).status).toBe(
      401,
    );
    expect(heard.length).toBe(before);
  });

  it('opens a modal with the trigger_id once, and takes its submission', async () => {
    await driver.slashCommand({ userId: 'U1', channelId: 'C1', text: 'rotate' });
    const view = await sim.waitFor(() => sim.views().find((v) => v.view.callback_id === 'rotate' && !v.closed));
    const second = await sim.waitFor(() => sim.calls('views.open').find((c) => !c.ok));
    expect(second.error).toBe('exchanged_trigger_id');

    const refused = await driver.viewSubmission({
      userId: 'U1',
      viewId: view.id,
      values: { cluster: { name: { type: 'plain_text_input', value: null } } },
    });
    expect(refused.body).toMatchObject({ response_action: 'errors' });
    expect(view.closed).toBe(false);

    await driver.viewSubmission({
      userId: 'U1',
      viewId: view.id,
      values: { cluster: { name: { type: 'plain_text_input', value: 'aks-prod' } } },
    });
    expect(heard).toContain('submit:aks-prod');
    expect(view.closed).toBe(true);
  });

  it('refuses a trigger_id older than 3 seconds', async () => {
    const result = await driver.slashCommand({ userId: 'U1', channelId: 'C1', text: 'noop' });
    now += 3_000;
    const web = new WebClient(sim.botToken, { slackApiUrl: sim.apiUrl, logger: quietSlackLogger() });
    await expect(web.views.open({ trigger_id: result.triggerId as string, view: modal })).rejects.toMatchObject({
      data: { error: 'expired_trigger_id' },
    });
  });
});
