import { statusSubcommand } from '../../../src/digest/listeners/commands/status';
import { UsageError } from '../../../src/util/errors';
import { answerText, readSetup, runSubcommand } from './read-listener-fixtures';

describe('/certs status listener', () => {
  it('rejects a cluster certops does not know with the usage, before any lookup', async () => {
    const { deps, reads, directory } = readSetup();
    const { bolt, done } = runSubcommand(statusSubcommand(deps), 'U0READER', ['<!channel>']);
    await expect(done).rejects.toThrow(UsageError);
    expect(directory.lookups).toEqual([]);
    expect(reads).toEqual([]);
    expect(bolt.respond).not.toHaveBeenCalled();
  });

  it.each([
    ['someone with no role', 'U0NOBODY', [], /only its readers, operators and approvers see/],
    ['a guest', 'U0GUEST', [], /only its readers, operators and approvers see/],
    ['a reader asking for a fresh scan', 'U0READER', ['--refresh'], /You may not start a scan \(--refresh\)/],
  ])('refuses %s and reads nothing', async (_case, user, args, message) => {
    const { deps, reads } = readSetup();
    const { bolt, done } = runSubcommand(statusSubcommand(deps), user, args);
    await done;
    expect(reads).toEqual([]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringMatching(message) }),
    ]);
  });

  it('answers a reader with the counts of certificates and keys and what needs attention, from the attention source', async () => {
    const { deps, reads } = readSetup();
    const { bolt, done } = runSubcommand(statusSubcommand(deps), 'U0READER', []);
    await done;
    expect(reads).toEqual([{ cluster: undefined, refresh: false }]);
    const [answer] = bolt.responses();
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    const text = answerText(answer);
    expect(text).toContain(
      ':red_circle: 1 expired · :large_orange_circle: 0 critical · :large_yellow_circle: 1 warning · :large_green_circle: 1 ok',
    );
    expect(text).toContain(
      '1 certificate and 1 KMS key need attention: *shop-tls* (expired 2d ago), *etcd-kms* (KMS key, 19d left, a newer key version exists)',
    );
    expect(text).toContain('latest scan 2h ago');
    expect(text).toContain('*lab* — no scan yet');
  });

  it('lets an operator scan one cluster now', async () => {
    const { deps, reads } = readSetup();
    const { bolt, done } = runSubcommand(statusSubcommand(deps), 'U0OPERATOR', ['aks-prod', '--refresh']);
    await done;
    expect(reads).toEqual([{ cluster: 'aks-prod', refresh: true }]);
    const text = answerText(bolt.responses()[0]);
    expect(text).toContain('scanned just now');
    expect(text).not.toContain('*lab*');
  });
});
