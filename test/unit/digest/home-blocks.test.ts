import { validateView } from '../../../src/sandbox/slack';
import { homeView, type HomeCluster } from '../../../src/digest/blocks/home';
import { NOW, THRESHOLDS, cert, scan } from '../digest/fixtures';

describe('the App Home', () => {
  it('shows each cluster: counts, next expiry, pending CSRs and requests, running rotations', () => {
    const clusters: HomeCluster[] = [
      { name: 'prod', kinds: ['aks'], latest: { scan: scan('prod', [cert('api', 4), cert('web', 90)]), at: NOW }, pendingCsrs: 2, pendingRequests: 1, runningRotations: 1 },
      { name: 'lab', kinds: [], pendingCsrs: null, pendingRequests: 0, runningRotations: 0 },
    ];
    const view = homeView({ clusters, now: NOW, thresholds: THRESHOLDS });
    expect(validateView(view)).toEqual([]);
    const text = JSON.stringify(view);
    expect(text).toContain(':large_orange_circle: 1 critical');
    expect(text).toContain('next: *api* 4d left');
    expect(text).toContain('*Pending CSRs*\\n2');
    expect(text).toContain('*Pending approval requests*\\n1');
    expect(text).toContain('*Running rotations*\\n1');
    expect(text).toContain('*lab* · no scan yet');
    expect(text).toContain('unknown (cluster not reachable)');
  });

  it('stays within the Home tab limit with many clusters', () => {
    const clusters: HomeCluster[] = Array.from({ length: 60 }, (_, i) => ({ name: `c${i}`, kinds: [], pendingCsrs: 0, pendingRequests: 0, runningRotations: 0 }));
    const view = homeView({ clusters, now: NOW, thresholds: THRESHOLDS });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(JSON.stringify(view)).toContain('…and 30 more clusters');
  });
});
