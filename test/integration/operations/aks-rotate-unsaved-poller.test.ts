import { rotateAksCertificates } from '../../../src/operations/aks-rotate-certs';
import { silentProgress } from '../../../src/operations/progress-reporter';
import type { ResumeState } from '../../../src/operations/resume-state';
import { AzureSim } from '../../../src/sandbox/azure';
import { KubeSim } from '../../../src/sandbox/kube';
import { silentLogger } from '../../../src/util/logger';
import { testConfig } from '../queue/fixtures';
import { simAzureClients } from './azure-fixture';

const ROTATE_POST = { method: 'POST', pathRegex: /rotateClusterCertificates/ };

/** Resume values that outlive a "crash"; while `dieOnPoller` is set, saving the poller kills the run, as a SIGKILL right after the POST would. */
function crashableResume() {
  const values: Record<string, string> = {};
  const control = { dieOnPoller: true };
  const resume: ResumeState = {
    get: (key) => values[key],
    set: (key, value) => {
      if (key === 'aksRotatePoller' && control.dieOnPoller)
        return Promise.reject(new Error('the worker died before saving the poller'));
      values[key] = value;
      return Promise.resolve();
    },
  };
  return { resume, control };
}

// The worker dies after ARM accepted the POST but before the poller was saved: the next run must not rotate twice.
describe('an AKS rotation whose poller was never saved', () => {
  let kube: KubeSim;
  let azure: AzureSim;

  beforeEach(async () => {
    kube = await KubeSim.start();
    azure = await AzureSim.start();
    azure.addCluster({
      resourceGroup: 'rg',
      name: 'aks1',
      kubeconfig: () => kube.kubeconfig(),
      onRotateCertificates: () => kube.rotateCa(),
    });
  });

  afterEach(async () => {
    await azure.stop();
    await kube.stop();
  });

  const rotate = (resume: ResumeState) => {
    const cluster = testConfig('{unused}', [
      {
        name: 'c1',
        kubeconfig: '/dev/null',
        aks: {
          subscriptionId: azure.subscriptionId,
          resourceGroup: 'rg',
          name: 'aks1',
          armEndpoint: azure.armEndpoint,
        },
      },
    ]).clusters[0]!;
    return rotateAksCertificates({
      cluster,
      client: simAzureClients(azure).containerService(cluster.aks!),
      resume,
      progress: silentProgress,
      logger: silentLogger(),
      pollIntervalMs: 20,
    });
  };

  it('waits for the rotation already running in Azure instead of sending a second one', async () => {
    azure.faults.rotateDurationMs(400);
    const caBefore = kube.caPem();
    const { resume, control } = crashableResume();
    await expect(rotate(resume)).rejects.toThrow(/before saving the poller/);
    expect(azure.requests(ROTATE_POST)).toHaveLength(1);

    control.dieOnPoller = false;
    await expect(rotate(resume)).resolves.toMatchObject({ resumed: true });
    expect(azure.requests(ROTATE_POST)).toHaveLength(1);
    expect(kube.caPem()).not.toBe(caBefore);
  });

  it('sends the rotation when the POST of the dead worker never reached Azure', async () => {
    const caBefore = kube.caPem();
    const { resume, control } = crashableResume();
    azure.faults.failNext(1, /rotateClusterCertificates/, 400);
    await expect(rotate(resume)).rejects.toThrow(/rotating certificates of c1/);
    expect(azure.cluster('rg', 'aks1').history).toHaveLength(0);

    control.dieOnPoller = false;
    await expect(rotate(resume)).resolves.toMatchObject({ resumed: true });
    expect(azure.cluster('rg', 'aks1').history.filter((op) => op.kind === 'rotateClusterCertificates')).toHaveLength(1);
    expect(kube.caPem()).not.toBe(caBefore);
  });
});
