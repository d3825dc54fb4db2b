import { CertificatesV1Api, Watch, type KubeConfig, type V1CertificateSigningRequest } from '@kubernetes/client-node';

export const CSR_WATCH_PATH = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

export type CsrEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface CsrList {
  items: V1CertificateSigningRequest[];
  resourceVersion: string;
}

/** A running watch stream; `abort` ends it (its `onEnd` is still called once). */
export interface WatchStream {
  abort(): void;
}

/** How the watcher reaches the API; tests may wrap the real one to count or fail calls. */
export interface CsrWatchSource {
  list(): Promise<CsrList>;
  watch(
    resourceVersion: string,
    onEvent: (type: CsrEventType, object: Record<string, unknown>) => void,
    onEnd: (err: unknown) => void,
  ): Promise<WatchStream>;
}

/** The real source: a paginated list of every CSR, and a watch with bookmarks from a resourceVersion. */
export function kubeCsrWatchSource(kc: KubeConfig, pageSize = 250): CsrWatchSource {
  const api = kc.makeApiClient(CertificatesV1Api);
  const watcher = new Watch(kc);
  return {
    async list() {
      const items: V1CertificateSigningRequest[] = [];
      let continueToken: string | undefined;
      let resourceVersion = '';
      do {
        const page = await api.listCertificateSigningRequest({
          limit: pageSize,
          ...(continueToken ? { _continue: continueToken } : {}),
        });
        items.push(...page.items);
        // The first page's resourceVersion is the snapshot every later page continues (a consistent list).
        if (!resourceVersion) resourceVersion = page.metadata?.resourceVersion ?? '';
        continueToken = page.metadata?._continue;
      } while (continueToken);
      return { items, resourceVersion };
    },
    async watch(resourceVersion, onEvent, onEnd) {
      return watcher.watch(
        CSR_WATCH_PATH,
        { resourceVersion, allowWatchBookmarks: true },
        (type: string, object: Record<string, unknown>) => onEvent(type as CsrEventType, object),
        onEnd,
      );
    },
  };
}
