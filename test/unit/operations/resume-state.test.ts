import { credentialFingerprintSchema } from '../../../src/operations/kubeconfig-ca';
import { kmsRotationSummarySchema } from '../../../src/operations/kms-rotate-key';
import { memoryResumeState, readResumeJson } from '../../../src/operations/resume-state';

describe('reading saved progress back', () => {
  it('gives nothing when nothing was saved', () => {
    expect(readResumeJson(memoryResumeState(), 'before', credentialFingerprintSchema)).toBeUndefined();
  });

  it('gives back what an earlier run saved', () => {
    const saved = { caFingerprint: 'AB:CD', caExpiresOn: '2036-01-01T00:00:00.000Z' };
    const resume = memoryResumeState({ before: JSON.stringify(saved) });
    expect(readResumeJson(resume, 'before', credentialFingerprintSchema)).toEqual(saved);
  });

  it.each([
    ['text that is not JSON', 'kmsRotation', '{"cluster":', /"kmsRotation" is not JSON/],
    [
      'a field of the wrong type',
      'kmsRotation',
      JSON.stringify({ cluster: 'prod', previousKeyId: 'k/1', newKeyId: 'k/2', createdVersion: 'yes', advice: '' }),
      /createdVersion/,
    ],
    [
      'a missing field',
      'kmsRotation',
      JSON.stringify({ cluster: 'prod', previousKeyId: 'k/1', createdVersion: true, advice: '' }),
      /newKeyId/,
    ],
    ['an array where an object was saved', 'kmsRotation', '[]', /not what this version writes/],
  ])('stops the job, naming the saved value, on %s', (_case, key, text, message) => {
    const resume = memoryResumeState({ [key]: text });
    expect(() => readResumeJson(resume, key, kmsRotationSummarySchema)).toThrow(message);
  });
});
