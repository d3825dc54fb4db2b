import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RbacModel } from './rbac';
import { nodeAuthorizerAllows } from './node-authorizer';
import type { UserInfo } from './types';

interface TokenUser {
  token: string;
  uid: string;
  groups: string[];
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Bearer tokens and client certificates (CN = user, O = groups), as kube-apiserver authenticates them. */
export class Authenticator {
  private readonly byToken = new Map<string, string>();
  private readonly users = new Map<string, TokenUser>();

  /** `trustedCa` is read per request, so a CA rotation takes effect at once. */
  constructor(private readonly trustedCa: () => X509Certificate) {}

  addUser(name: string, groups: string[]): { token: string } {
    const existing = this.users.get(name);
    if (existing) this.byToken.delete(existing.token);
    const token = randomBytes(24).toString('base64url');
    this.users.set(name, { token, uid: randomUUID(), groups: [...groups] });
    this.byToken.set(token, name);
    return { token };
  }

  tokenOf(name: string): string | undefined {
    return this.users.get(name)?.token;
  }

  groupsOf(name: string): string[] | undefined {
    return this.users.get(name)?.groups;
  }

  /** The caller, or undefined when neither a known token nor a certificate from the current CA was presented. */
  authenticate(req: IncomingMessage): UserInfo | undefined {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const name = match ? this.byToken.get(match[1] ?? '') : undefined;
      const user = name ? this.users.get(name) : undefined;
      // A bad token fails the request even if a client certificate was also presented, like the union authenticator.
      if (!name || !user) return undefined;
      return { name, uid: user.uid, groups: withAuthenticated(user.groups) };
    }
    const socket = req.socket as TLSSocket;
    const cert = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    if (cert?.raw && this.issuedByTrustedCa(cert.raw)) {
      const name = asList(cert.subject?.CN)[0];
      if (name) return { name, uid: '', groups: withAuthenticated(asList(cert.subject?.O)) };
    }
    return undefined;
  }

  /**
   * Client certificates are verified here rather than by TLS: giving the TLS layer the CA would make OpenSSL
   * append it to the served chain, which changes the error an untrusting client reports.
   */
  private issuedByTrustedCa(raw: Buffer): boolean {
    try {
      const peer = new X509Certificate(raw);
      const ca = this.trustedCa();
      const now = Date.now();
      return (
        peer.checkIssued(ca) &&
        peer.verify(ca.publicKey) &&
        Date.parse(peer.validFrom) <= now &&
        now <= Date.parse(peer.validTo)
      );
    } catch {
      return false;
    }
  }
}

function withAuthenticated(groups: string[]): string[] {
  return groups.includes('system:authenticated') ? [...groups] : [...groups, 'system:authenticated'];
}

/** One RBAC-like rule: a user or group may use these verbs on these resources (`*` for all; `csr/approval` form for subresources). */
export interface Grant {
  subject: string;
  verbs: string[];
  resources: string[];
}

export interface AccessRequest {
  verb: string;
  resource: string;
  subresource?: string;
  /** API group ('' = core); namespace and object name, for RBAC objects' rules. */
  group?: string;
  namespace?: string;
  name?: string;
}

/** Members of system:masters may do anything; kubelets get the Node authorizer's rules; everyone else needs a grant, or RBAC objects that allow it. */
export class Authorizer {
  /** RBAC over the cluster's Role/ClusterRole/…Binding objects, consulted after the grants. */
  constructor(private readonly rbac?: RbacModel) {}

  private readonly grants: Grant[] = [
    // Any authenticated caller may ask for a certificate and follow its request (as kubelets and bootstrappers do).
    {
      subject: 'system:authenticated',
      verbs: ['create', 'get', 'list', 'watch'],
      resources: ['certificatesigningrequests'],
    },
    // system:basic-user: anyone authenticated may ask who they are.
    { subject: 'system:authenticated', verbs: ['create'], resources: ['selfsubjectreviews'] },
  ];

  grant(grant: Grant): void {
    this.grants.push(grant);
  }

  allows(user: UserInfo, access: AccessRequest): boolean {
    if (user.groups.includes('system:masters')) return true;
    const resource = access.subresource ? `${access.resource}/${access.subresource}` : access.resource;
    if (nodeAuthorizerAllows(user, access.verb, resource)) return true;
    const granted = this.grants.some(
      (g) =>
        (g.subject === user.name || user.groups.includes(g.subject)) &&
        (g.verbs.includes('*') || g.verbs.includes(access.verb)) &&
        (g.resources.includes('*') || g.resources.includes(resource)),
    );
    if (granted) return true;
    return (
      this.rbac?.allows(user, {
        verb: access.verb,
        group: access.group ?? '',
        resource,
        namespace: access.namespace,
        name: access.name,
      }) ?? false
    );
  }
}
