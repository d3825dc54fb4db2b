import { X509Certificate } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type https from 'node:https';
import { silentLogger, type Logger } from '../../util/logger';
import { listSeats, PriorityAndFairness } from './apf';
import { Authenticator, Authorizer } from './auth';
import { SimClock } from './clock';
import type { SimContext } from './context';
import { collectCsrGarbage } from './csr-gc';
import { CsrSigner, type SignerMode } from './csr-signer';
import { EncryptionModel } from './encryption';
import { Faults } from './faults';
import { JobRunner, type JobScript } from './job-runner';
import { renderKubeconfig, type KubeconfigOptions } from './kubeconfig';
import { ClusterPki, type ClientCredential } from './pki';
import { BOOTSTRAP_CLUSTER_ROLES, RbacModel, type BindingObject, type RoleObject } from './rbac';
import { RESOURCES } from './resources/infos';
import { RequestLog } from './request-log';
import { parseResourcePath, Router } from './router';
import { createApiServer, listen, reloadTls } from './server';
import { ObjectStore, ResourceStore } from './store';
import type {
  CsrObject,
  EventObject,
  KubeObject,
  ResourceInfo,
  JobObject,
  LeaseObject,
  NamespaceObject,
  NodeObject,
  PodObject,
  SecretObject,
} from './types';
import { WatchHub } from './watch';
import { WorkQueue } from './work-queue';

export interface KubeSimOptions {
  /** Simulated time in ms (default the wall clock); advanceClock/setClock move it further. */
  clock?: () => number;
  logger?: Logger;
  /** Write events kept for watch resumption and continue tokens; older ones answer 410 Gone. Default 1000. */
  historyLimit?: number;
  /** Interval of periodic watch BOOKMARKs (one is also sent right after the initial events). Default 60 s. */
  bookmarkIntervalMs?: number;
}

/** Typed direct access to the simulated cluster's objects (no admission, no authorisation). */
export interface KubeStore {
  namespaces: ResourceStore<NamespaceObject>;
  nodes: ResourceStore<NodeObject>;
  secrets: ResourceStore<SecretObject>;
  pods: ResourceStore<PodObject>;
  events: ResourceStore<EventObject>;
  csrs: ResourceStore<CsrObject>;
  leases: ResourceStore<LeaseObject>;
  jobs: ResourceStore<JobObject>;
  clusterRoles: ResourceStore<RoleObject>;
  roles: ResourceStore<RoleObject>;
  clusterRoleBindings: ResourceStore<BindingObject>;
  roleBindings: ResourceStore<BindingObject>;
  /** The current global resourceVersion. */
  revision(): number;
  /** Forgets the event history: older watch resourceVersions and continue tokens now get 410. */
  compact(): void;
}

const ADMIN = 'admin';
const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** An in-process Kubernetes API server that @kubernetes/client-node and kubectl accept unchanged. */
export class KubeSim {
  readonly url: string;
  readonly store: KubeStore;
  readonly faults: Faults;
  readonly encryption: EncryptionModel;
  /** API Priority and Fairness: on with the bootstrap levels (system:masters is exempt); configure() to tighten it. */
  readonly apf: PriorityAndFairness;
  /** The request timeline, recorded once start()ed. */
  readonly requests: RequestLog;
  private readonly stopControllers: Array<() => void>;

  private constructor(
    private readonly server: https.Server,
    port: number,
    private readonly ctx: SimContext,
    private readonly authenticator: Authenticator,
    private readonly authorizer: Authorizer,
    private readonly watches: WatchHub,
    private readonly jobs: JobRunner,
    private readonly signer: CsrSigner,
    faults: Faults,
    encryption: EncryptionModel,
    apf: PriorityAndFairness,
    requests: RequestLog,
  ) {
    this.url = `https://127.0.0.1:${port}`;
    this.faults = faults;
    this.encryption = encryption;
    this.apf = apf;
    this.requests = requests;
    const typed = <T extends KubeObject>(info: ResourceInfo) => new ResourceStore<T>(ctx.store, info);
    this.store = {
      namespaces: typed(RESOURCES.namespaces),
      nodes: typed(RESOURCES.nodes),
      secrets: typed(RESOURCES.secrets),
      pods: typed(RESOURCES.pods),
      events: typed(RESOURCES.events),
      csrs: typed(RESOURCES.csrs),
      leases: typed(RESOURCES.leases),
      jobs: typed(RESOURCES.jobs),
      clusterRoles: typed(RESOURCES.clusterroles),
      roles: typed(RESOURCES.roles),
      clusterRoleBindings: typed(RESOURCES.clusterrolebindings),
      roleBindings: typed(RESOURCES.rolebindings),
      revision: () => ctx.store.currentRevision(),
      compact: () => ctx.store.compact(),
    };
    this.stopControllers = [signer.start(), jobs.start()];
  }

  static async start(opts: KubeSimOptions = {}): Promise<KubeSim> {
    const logger = opts.logger ?? silentLogger();
    const clock = new SimClock(opts.clock);
    const store = new ObjectStore(clock, { historyLimit: opts.historyLimit ?? 1000 });
    const pki = await ClusterPki.create();
    const ctx: SimContext = { store, clock, pki, podLogs: new Map(), work: new WorkQueue(logger), logger };
    for (const name of DEFAULT_NAMESPACES)
      store.create(RESOURCES.namespaces, { metadata: { name }, status: { phase: 'Active' } });
    for (const role of BOOTSTRAP_CLUSTER_ROLES) store.create(RESOURCES.clusterroles, role);
    const authenticator = new Authenticator(() => new X509Certificate(pki.ca.certPem));
    authenticator.addUser(ADMIN, ['system:masters']);
    await pki.issueClientCert(ADMIN, ['system:masters']);
    const authorizer = new Authorizer(new RbacModel(store));
    ctx.authorize = (user, attrs) => {
      const [resource, subresource] = attrs.resource.split('/') as [string, string | undefined];
      return authorizer.allows(user, { ...attrs, resource, subresource });
    };
    const watches = new WatchHub(store, { bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000 });
    const faults = new Faults(() => watches.dropAll());
    const encryption = new EncryptionModel(store);
    let address = '127.0.0.1:0';
    const router = new Router(ctx, authorizer, watches, () => address);
    const apf = new PriorityAndFairness();
    const requests = new RequestLog();
    const estimateSeats = (method: string, url: URL): number => {
      const parsed = method === 'GET' ? parseResourcePath(url.pathname) : undefined;
      if (!parsed || parsed.name) return 1;
      const count = store.count(parsed.info);
      const limit = Number(url.searchParams.get('limit') ?? 0);
      return listSeats(limit > 0 ? Math.min(limit, count) : count);
    };
    const server = createApiServer({
      pki,
      authenticator,
      authorizer,
      router,
      faults,
      apf,
      estimateSeats,
      requestLog: requests,
      logger,
    });
    const port = await listen(server);
    address = `127.0.0.1:${port}`;
    return new KubeSim(
      server,
      port,
      ctx,
      authenticator,
      authorizer,
      watches,
      new JobRunner(ctx),
      new CsrSigner(ctx),
      faults,
      encryption,
      apf,
      requests,
    );
  }

  caPem(): string {
    return this.ctx.pki.ca.certPem;
  }

  /** A bearer-token user; calling it again for the same name replaces the token. */
  addUser(name: string, groups: string[]): { token: string } {
    return this.authenticator.addUser(name, groups);
  }

  /** Lets a user or group use verbs on resources (`certificatesigningrequests/approval` for a subresource, `*` for all). */
  grant(subject: string, verbs: string[], resources: string[]): void {
    this.authorizer.grant({ subject, verbs, resources });
  }

  /** Issues (and remembers for kubeconfig) a client certificate with CN = user and O = groups, valid until notAfter (default a year). */
  async issueClientCertificate(user: string, groups?: string[], notAfter?: Date): Promise<ClientCredential> {
    const known = groups ?? this.authenticator.groupsOf(user);
    if (!known) throw new Error(`kube-sim: unknown user "${user}"; pass its groups or addUser() it first`);
    return this.ctx.pki.issueClientCert(user, known, notAfter);
  }

  kubeconfig(opts: KubeconfigOptions = {}): string {
    const userName = opts.user ?? ADMIN;
    let credential: { token: string } | ClientCredential | undefined;
    if (opts.auth === 'cert') {
      credential = this.ctx.pki.clientCertFor(userName);
      if (!credential)
        throw new Error(
          `kube-sim: no client certificate for "${userName}"; await issueClientCertificate() or use writeKubeconfig()`,
        );
    } else {
      const token = this.authenticator.tokenOf(userName);
      if (!token) throw new Error(`kube-sim: unknown user "${userName}"; call addUser() first`);
      credential = { token };
    }
    return renderKubeconfig({
      server: this.url,
      caPem: this.caPem(),
      userName: opts.userEntry ?? userName,
      contextName: opts.contextName ?? 'kube-sim',
      clusterName: opts.clusterName ?? 'kube-sim',
      credential,
    });
  }

  async writeKubeconfig(path: string, opts: KubeconfigOptions = {}): Promise<void> {
    const user = opts.user ?? ADMIN;
    if (opts.auth === 'cert' && !this.ctx.pki.clientCertFor(user)) await this.issueClientCertificate(user);
    await writeFile(path, this.kubeconfig(opts), { mode: 0o600 });
  }

  /** New cluster CA and serving certificate: kubeconfigs written before no longer verify the server. */
  async rotateCa(): Promise<void> {
    await this.ctx.pki.rotate();
    await this.ctx.pki.issueClientCert(ADMIN, ['system:masters']);
    reloadTls(this.server, this.ctx.pki);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  advanceClock(ms: number): void {
    this.ctx.clock.advance(ms);
  }

  setClock(ms: number): void {
    this.ctx.clock.set(ms);
  }

  /** Runs the CSR cleaner now (it also runs before every CSR request); returns the deleted names. */
  gc(): string[] {
    return collectCsrGarbage(this.ctx);
  }

  /** Makes a built-in signer sign (default), never sign, or refuse with a message, as some managed control planes do. */
  setSignerMode(signerName: string, mode: SignerMode): void {
    this.signer.setMode(signerName, mode);
  }

  jobScript(script: JobScript): void {
    this.jobs.setScript(script);
  }

  /** Resolves when the simulated controllers (signer, job runner) have no immediate work left. */
  idle(): Promise<void> {
    return this.ctx.work.idle();
  }

  openWatches(): number {
    return this.watches.count();
  }

  async stop(): Promise<void> {
    for (const stop of this.stopControllers) stop();
    this.watches.endAll();
    await this.ctx.work.stop();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
