import { jobsCommand, type JobsCommandDeps } from '../../../src/approvals/listeners/jobs-command';
import type { ApprovalRequest } from '../../../src/core/approvals';
import { UsageError } from '../../../src/util/errors';
import { CARD_TS, CHANNEL, USERS, callsOf, openRequest, slash, world, type World } from './listener-world';

function deps(w: World, asked: string[][]): JobsCommandDeps {
  return {
    ...w.deps,
    requestsWithStatus: (statuses) => {
      asked.push([...statuses]);
      return Promise.resolve([...w.store.records.values()].filter((r) => statuses.includes(r.status)));
    },
  };
}

describe('/certs jobs listener', () => {
  it('takes no arguments', async () => {
    const w = world();
    await expect(jobsCommand(deps(w, []))(slash(w, USERS.requester, ['prod']))).rejects.toThrow(UsageError);
  });

  it('asks for queued, running and failed jobs and lists each with a link to its card', async () => {
    const w = world();
    const request = await openRequest(w);
    const running: ApprovalRequest = { ...request, status: 'running' };
    w.store.records.set(request.id, running);
    const asked: string[][] = [];
    await jobsCommand(deps(w, asked))(slash(w, USERS.requester, []));
    expect(asked).toEqual([['approved', 'running', 'failed']]);
    expect(callsOf(w, 'chat.getPermalink')).toEqual([{ channel: CHANNEL, message_ts: CARD_TS }]);
    const [answer] = w.bolt.responses();
    expect(answer?.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer)).toContain(request.id);
    expect(JSON.stringify(answer)).toContain(`https://certops.slack.test/archives/${CHANNEL}/p${CARD_TS}`);
  });

  it('lists a job whose card link Slack cannot give, without a link', async () => {
    const w = world({ slack: { 'chat.getPermalink': () => Promise.reject(new Error('message_not_found')) } });
    const request = await openRequest(w);
    w.store.records.set(request.id, { ...request, status: 'failed' });
    await jobsCommand(deps(w, []))(slash(w, USERS.requester, []));
    const [answer] = w.bolt.responses();
    expect(JSON.stringify(answer)).toContain(request.id);
    expect(JSON.stringify(answer)).not.toContain('certops.slack.test');
  });

  it('says so when nothing is queued, running or failed', async () => {
    const w = world();
    await openRequest(w);
    await jobsCommand(deps(w, []))(slash(w, USERS.requester, []));
    expect(w.bolt.responses()).toHaveLength(1);
    expect(callsOf(w, 'chat.getPermalink')).toEqual([]);
  });
});
