import { plural, pluralOf } from '../../../src/util/plural';

describe('plural', () => {
  it.each([
    [1, 'certificate', '', '1 certificate'],
    [2, 'certificate', '', '2 certificates'],
    [0, 'certificate', '', '0 certificates'],
    [1, 'secret', 'rewritten', '1 secret rewritten'],
    [3, 'secret', 'rewritten', '3 secrets rewritten'],
    [1, 'reply', '', '1 reply'],
    [2, 'reply', '', '2 replies'],
    [1, 'key', '', '1 key'],
    [2, 'key', '', '2 keys'],
    [2, 'prefix', '', '2 prefixes'],
    [2, 'approval', '', '2 approvals'],
    [2, 'control-plane node', '', '2 control-plane nodes'],
  ])('%i %s %s reads "%s"', (count, singular, rest, expected) => {
    expect(plural(count, singular, rest)).toBe(expected);
  });

  it('takes an explicit plural for words outside the rules', () => {
    expect(plural(2, 'certificate and key', '', 'certificates and keys')).toBe('2 certificates and keys');
    expect(plural(1, 'certificate and key', '', 'certificates and keys')).toBe('1 certificate and key');
  });

  it.each([
    ['day', 'days'],
    ['policy', 'policies'],
    ['match', 'matches'],
    ['namespace', 'namespaces'],
  ])('the plural of %s is %s', (singular, expected) => {
    expect(pluralOf(singular)).toBe(expected);
  });
});
