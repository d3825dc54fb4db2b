import { memoryResumeState } from '../../../src/operations/resume-state';
import { kmsProfileSchema, remembered } from '../../../src/queue/processors/kms-job';

describe('a value a KMS step remembered', () => {
  it('reads back what the earlier step set', async () => {
    const resume = memoryResumeState();
    const before = remembered(resume, 'kmsBefore', kmsProfileSchema);
    await before.set({ enabled: true, keyId: 'https://vault.example/keys/etcd/1', keyVaultNetworkAccess: 'Public' });
    expect(remembered(resume, 'kmsBefore', kmsProfileSchema).get()).toEqual({
      enabled: true,
      keyId: 'https://vault.example/keys/etcd/1',
      keyVaultNetworkAccess: 'Public',
    });
  });

  it.each([
    ['nothing recorded', undefined, /kmsBefore was not recorded by an earlier step/],
    ['text that is not JSON', '{"enabled":', /"kmsBefore" is not JSON/],
    ['a field of the wrong type', '{"enabled":"yes"}', /not what this version writes \(enabled:/],
    ['a network access ARM does not have', '{"enabled":true,"keyVaultNetworkAccess":"Open"}', /keyVaultNetworkAccess/],
  ])('stops the job on %s', (_case, saved, message) => {
    const resume = memoryResumeState(saved === undefined ? {} : { kmsBefore: saved });
    expect(() => remembered(resume, 'kmsBefore', kmsProfileSchema).get()).toThrow(message);
  });
});
