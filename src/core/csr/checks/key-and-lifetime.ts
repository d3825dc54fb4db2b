import type { CsrCheck } from '../finding';

const MIN_RSA_BITS = 2048;
const MIN_EC_BITS = 256;

export const keyStrength: CsrCheck = ({ csr }) => {
  const { keyAlgorithm, keySize } = csr;
  if (keySize === null) {
    return [
      {
        code: 'key-unknown',
        severity: 'warning',
        message: `Key algorithm ${keyAlgorithm} of unknown size: verify the requester's key type is one your clients accept.`,
      },
    ];
  }
  const minimum = keyAlgorithm === 'RSA' ? MIN_RSA_BITS : keyAlgorithm === 'ECDSA' ? MIN_EC_BITS : 0;
  if (keySize >= minimum) return [];
  return [
    {
      code: 'weak-key',
      severity: 'high',
      message: `${keyAlgorithm} ${keySize}-bit key is below the ${minimum}-bit minimum: ask the requester for a new key (RSA 2048+ or ECDSA P-256).`,
    },
  ];
};

export const expirationWithinLimit: CsrCheck = ({ expirationSeconds, config }) => {
  if (expirationSeconds === undefined || expirationSeconds <= config.maxExpirationSeconds) return [];
  const days = (seconds: number) => `${Math.round(seconds / 86400)}d`;
  return [
    {
      code: 'expiration-too-long',
      severity: 'high',
      message: `Requested lifetime ${days(expirationSeconds)} exceeds the configured maximum ${days(config.maxExpirationSeconds)}: verify why a longer-lived certificate is needed.`,
    },
  ];
};
