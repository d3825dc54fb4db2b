import { DEFAULT_CONFIG_FILE } from '../../../src/commands/render/command-input';
import { DEFAULT_CONFIG_PATH } from '../../../src/config/load';
import { configSchema } from '../../../src/config/schema';
import { DEFAULT_CSR_POLICY } from '../../../src/core/csr';
import { csrPolicyFor } from '../../../src/csr/cluster-policy';
import { DEFAULT_THRESHOLDS } from '../../../src/core/expiry';

// `certops scan` and `certops csr check` repeat these so that, without a config file, they never load
// the config loader (zod, yaml): start-up time matters for cron use. They must agree with the loader.
describe('the defaults used without a config file', () => {
  const emptyConfig = configSchema.parse({});

  it('classify expiry exactly as an empty config file would', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      warningSeconds: emptyConfig.expiry.warning,
      criticalSeconds: emptyConfig.expiry.critical,
    });
  });

  it('judge CSRs exactly as an empty config file would', () => {
    expect(DEFAULT_CSR_POLICY).toEqual(csrPolicyFor(emptyConfig));
  });

  it('look for the same default config file as the loader', () => {
    expect(DEFAULT_CONFIG_FILE).toBe(DEFAULT_CONFIG_PATH);
  });
});
