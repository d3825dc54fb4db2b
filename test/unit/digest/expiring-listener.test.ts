import { expiringSubcommand } from '../../../src/digest/listeners/commands/expiring';
import { UsageError } from '../../../src/util/errors';
import { answerText, readSetup, runSubcommand } from './read-listener-fixtures';

describe('/certs expiring listener', () => {
  it('rejects an unknown cluster with the usage, before any lookup', async () => {
    const { deps, reads, directory } = readSetup();
    const { done } = runSubcommand(expiringSubcommand(deps), 'U0READER', ['nowhere']);
    await expect(done).rejects.toThrow(UsageError);
    await expect(done).rejects.toThrow('expiring [within 30d] [cluster] [--refresh]');
    expect(directory.lookups).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('refuses someone with no role and reads nothing', async () => {
    const { deps, reads } = readSetup();
    const { bolt, done } = runSubcommand(expiringSubcommand(deps), 'U0NOBODY', []);
    await done;
    expect(reads).toEqual([]);
    expect(bolt.responses()).toEqual([
      expect.objectContaining({ text: expect.stringMatching(/only its readers, operators and approvers see/) }),
    ]);
  });

  it.each([
    [
      'the default window: everything that needs attention, the key included',
      [],
      '1 certificate and 1 KMS key expire within 30 days',
      ['shop-tls', 'etcd-kms'],
      ['api-tls'],
    ],
    ['a short window', ['within', '5d'], '1 certificate expires within 5 days', ['shop-tls'], ['etcd-kms', 'api-tls']],
    [
      'a long window',
      ['within', '365d'],
      '2 certificates and 1 KMS key expire within 365 days',
      ['shop-tls', 'etcd-kms', 'api-tls'],
      [],
    ],
  ])('answers %s', async (_case, args, title, named, notNamed) => {
    const { deps } = readSetup();
    const { bolt, done } = runSubcommand(expiringSubcommand(deps), 'U0READER', args);
    await done;
    const [answer] = bolt.responses();
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: title });
    const text = answerText(answer);
    for (const item of named) expect(text).toContain(`*${item}*`);
    for (const item of notNamed) expect(text).not.toContain(`*${item}*`);
    // Most urgent first.
    expect(text.indexOf('shop-tls')).toBeLessThan(text.indexOf('etcd-kms') < 0 ? Infinity : text.indexOf('etcd-kms'));
  });
});
