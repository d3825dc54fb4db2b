import { nodeSnapshot } from '../../../src/csr/node-lookup';
import type { NodeFacts } from '../../../src/core/csr';

const node = (name: string, address: string): NodeFacts => ({
  name,
  addresses: [{ type: 'InternalIP', address }],
  labels: {},
});

describe('the Nodes as "Approve all" finds them at the click', () => {
  it('lists the Nodes once for every review of the run and answers lookups from that list', async () => {
    let listed = 0;
    const snapshot = nodeSnapshot(() => {
      listed++;
      return Promise.resolve([node('pool-1', '10.1.0.1'), node('pool-2', '10.1.0.2')]);
    });
    const [a, b, others] = await Promise.all([
      snapshot.lookupNode('pool-1'),
      snapshot.lookupNode('pool-9'),
      snapshot.listNodes(),
    ]);
    expect(a).toEqual(node('pool-1', '10.1.0.1'));
    expect(b).toBeNull();
    expect(others.map((n) => n.name)).toEqual(['pool-1', 'pool-2']);
    expect(listed).toBe(1);
  });

  it('does not keep a failed listing: the next review lists again', async () => {
    let calls = 0;
    const snapshot = nodeSnapshot(() =>
      ++calls === 1 ? Promise.reject(new Error('fetch failed')) : Promise.resolve([node('pool-1', '10.1.0.1')]),
    );
    await expect(snapshot.listNodes()).rejects.toThrow('fetch failed');
    expect(await snapshot.lookupNode('pool-1')).toEqual(node('pool-1', '10.1.0.1'));
    expect(calls).toBe(2);
  });
});
