import { requestsCommand } from '../../../src/approvals/listeners/requests-command';
import { UsageError } from '../../../src/util/errors';
import { USERS, openRequest, slash, world } from './listener-world';

describe('/certs requests listener', () => {
  it.each([
    ['someone with no role', USERS.nobody],
    ['a guest', USERS.guest],
  ])('tells %s the list is for readers, and lists nothing', async (_case, user) => {
    const w = world();
    const request = await openRequest(w);
    await requestsCommand(w.deps)(slash(w, user, []));
    const [answer] = w.bolt.responses();
    expect(answer?.text).toMatch(/only its readers, operators and approvers see/);
    expect(JSON.stringify(answer)).not.toContain(request.id);
  });

  it('throws a usage error naming the configured clusters for an unknown one', async () => {
    const w = world();
    await expect(requestsCommand(w.deps)(slash(w, USERS.requester, ['staging']))).rejects.toThrow(
      new UsageError('Unknown cluster `staging`. Usage: `/certs requests [cluster]`. Clusters: `prod`.'),
    );
  });

  it.each([[[]], [['prod']]])('lists the pending requests to an operator (args %j), ephemerally', async (args) => {
    const w = world();
    const request = await openRequest(w);
    await requestsCommand(w.deps)(slash(w, USERS.requester, args));
    const [answer] = w.bolt.responses();
    expect(answer?.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer)).toContain(request.id);
  });

  it('leaves out requests that are no longer pending', async () => {
    const w = world();
    const request = await openRequest(w);
    w.store.records.set(request.id, { ...request, status: 'rejected' });
    await requestsCommand(w.deps)(slash(w, USERS.requester, []));
    expect(JSON.stringify(w.bolt.responses())).not.toContain(request.id);
  });
});
