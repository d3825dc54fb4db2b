import { parseSecretLocation } from '../sources/secrets/secret-location';

export interface LocationLabels {
  secret_namespace: string;
  secret_name: string;
  secret_key: string;
  filepath: string;
}

/** x509-certificate-exporter's labels for one location: a secret's coordinates, or a path for anything else. */
export function locationLabels(location: string): LocationLabels {
  const secret = parseSecretLocation(location);
  if (secret)
    return { secret_namespace: secret.namespace, secret_name: secret.name, secret_key: secret.key, filepath: '' };
  return { secret_namespace: '', secret_name: '', secret_key: '', filepath: location };
}
