import { firstAddress, matchingPrefix, parseIpPrefix, sameIp } from '../../../../src/core/csr/ip-prefix';

describe('IP prefixes that prove serving addresses', () => {
  it.each([
    { ip: '10.0.0.5', prefixes: ['10.0.0.0/24'], expected: '10.0.0.0/24' },
    { ip: '10.0.1.5', prefixes: ['10.0.0.0/24'], expected: undefined },
    { ip: '10.0.1.5', prefixes: ['10.0.0.0/24', '10.0.0.0/16'], expected: '10.0.0.0/16' },
    { ip: '192.168.1.1', prefixes: ['192.168.1.1'], expected: '192.168.1.1' },
    { ip: 'fd00::5', prefixes: ['fd00::/64'], expected: 'fd00::/64' },
    { ip: 'fd01::5', prefixes: ['fd00::/64'], expected: undefined },
    { ip: '10.0.0.5', prefixes: ['::/0'], expected: undefined },
    { ip: '::ffff:10.0.0.5', prefixes: ['::ffff:0:0/96'], expected: '::ffff:0:0/96' },
  ])('$ip in $prefixes → $expected', ({ ip, prefixes, expected }) => {
    expect(matchingPrefix(ip, prefixes)).toBe(expected);
  });

  it.each(['10.0.0.0/33', '10.0.0/24', 'fd00::/129', 'example.com/8', '10.0.0.0/8/1', '10.0.0.0/ 8'])(
    'refuses the malformed prefix %s',
    (text) => {
      expect(parseIpPrefix(text)).toBeUndefined();
    },
  );

  it("finds the API server's ClusterIP as the first address of a Service CIDR", () => {
    expect(firstAddress('10.96.0.0/12')).toBe('10.96.0.1');
    expect(firstAddress('10.0.0.0/16')).toBe('10.0.0.1');
    expect(sameIp(firstAddress('fd00:10:96::/112') ?? '', 'fd00:10:96::1')).toBe(true);
  });
});
