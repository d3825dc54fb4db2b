/** The source name secrets' certificates and errors carry. */
export const SECRETS_SOURCE = 'secret';

export interface SecretRef {
  namespace: string;
  name: string;
  key: string;
}

/** `secret:<ns>/<name>#<key>`: names and keys cannot hold `/` or `#`, so the location parses back. */
export function secretLocation(ref: SecretRef): string {
  return `${SECRETS_SOURCE}:${ref.namespace}/${ref.name}#${ref.key}`;
}

const LOCATION_RE = /^secret:([^/#]+)\/([^/#]+)#(.+)$/;

/** The secret behind a location (for the metrics labels), or undefined for any other location. */
export function parseSecretLocation(location: string): SecretRef | undefined {
  const match = LOCATION_RE.exec(location);
  if (!match) return undefined;
  return { namespace: match[1] as string, name: match[2] as string, key: match[3] as string };
}
