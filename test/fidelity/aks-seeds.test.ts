import { fidelityTools, SeedShell } from './seed-shell';

/**
 * The upstream runbooks certops automates, run as written with the real az CLI and kubectl against the built
 * `certops sandbox`: "Certificate rotation in Azure Kubernetes Service", "Add Key Management Service etcd encryption
 * to an AKS cluster" (Key Vault KMS), and kubectl's whoami and impersonation. Each test is one documented step,
 * named after its section; the steps build on each other, in order.
 *
 * The Key Vault steps send the documented `az keyvault key …` calls with `az rest`: Debian's azure-cli 2.45 lacks the
 * legacy azure-keyvault package that every `az keyvault key` command imports (`No module named
 * 'azure.keyvault.v7_0'` / `'azure.keyvault.key_vault_id'`), so those commands fail there on any cloud.
 */
const tools = fidelityTools();
const describeWithAz = tools.run ? describe : describe.skip;
if (!tools.run)
  test.skip(`az and kubectl are not installed (${tools.missing.join(', ')}): run scripts/ensure-azure-cli.sh`, () =>
    undefined);

const RG = 'rg-certops';
const AKS = 'aks-certops';
const CLOUD = 'certops-sandbox';

describeWithAz("the seeds' az and kubectl commands against certops sandbox", () => {
  let shell: SeedShell;
  let vault: { name: string; suffix: string; url: string; resource: string };
  let aksServer = '';
  const keyIds: string[] = [];

  beforeAll(async () => {
    shell = await SeedShell.start();
    const url = new URL(shell.endpoints.keyVaultUrl);
    const [name = '', ...domain] = url.hostname.split('.');
    // The resource to ask a vault token for, from the vault's own 401 challenge, as every Key Vault client learns it.
    const challenge = shell.sh(
      `curl --silent --cacert "$REQUESTS_CA_BUNDLE" --output /dev/null --dump-header - "${url.origin}/keys?api-version=7.4"`,
    ).stdout;
    const resource = /resource="([^"]+)"/.exec(challenge)?.[1] ?? '';
    vault = { name, suffix: `.${domain.join('.')}:${url.port}`, url: shell.endpoints.keyVaultUrl, resource };
  }, 60_000);
  afterAll(() => shell?.stop());

  const vaultEnv = () => ({
    VAULT: vault.name,
    KEY_VAULT_URL: vault.url,
    KV_SUFFIX: vault.suffix,
    KV_RESOURCE: vault.resource,
  });
  const reencryptAll = () => shell.ok('kubectl get secrets --all-namespaces -o json | kubectl replace -f -');
  // KEY_VAULT_RESOURCE_ID=$(az keyvault show --name $KEY_VAULT --resource-group $RESOURCE_GROUP --query id -o tsv)
  const vaultResourceId = () =>
    shell.ok('az keyvault show --name "$VAULT" --resource-group "$VAULT" --query id --output tsv', vaultEnv()).trim();

  describe('Azure CLI: connect to a custom cloud, sign in with a service principal', () => {
    it('az cloud register learns the cloud from its ARM metadata endpoint; az cloud set selects it', () => {
      shell.ok(
        `az cloud register --name ${CLOUD} --endpoint-resource-manager "$ARM_ENDPOINT" --suffix-keyvault-dns "$KV_SUFFIX" && az cloud set --name ${CLOUD}`,
        vaultEnv(),
      );
      const cloud = JSON.parse(shell.ok('az cloud show --output json')) as {
        name: string;
        isActive: boolean;
        endpoints: Record<string, string>;
      };
      expect(cloud).toMatchObject({ name: CLOUD, isActive: true });
      expect(cloud.endpoints.activeDirectory).toBe(`${shell.endpoints.armEndpoint}/adfs`);
      expect(cloud.endpoints.activeDirectoryResourceId).toBe('https://management.core.windows.net/');
    });

    it('az login --service-principal refuses a wrong client secret, as the identity provider does', () => {
      const refused = shell.sh(
        'az login --service-principal --username "$APP_ID" --password not-the-secret --tenant "$TENANT_ID" --output none',
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('AADSTS7000215: Invalid client secret provided.');
    });

    it('az login --service-principal signs in; az account show names the subscription', () => {
      shell.ok(
        'az login --service-principal --username "$APP_ID" --password "$PASSWORD" --tenant "$TENANT_ID" --output none',
      );
      const account = JSON.parse(shell.ok('az account show --output json')) as {
        id: string;
        user: { name: string; type: string };
      };
      expect(account).toMatchObject({
        id: shell.endpoints.subscriptionId,
        user: { name: shell.endpoints.clientId, type: 'servicePrincipal' },
      });
    });
  });

  describe('AKS: a cluster built through ARM, then listed and shown', () => {
    it('a managed cluster PUT through ARM gets its own API server; az aks list and az aks show report it', () => {
      const url = `"$ARM_ENDPOINT/subscriptions/$SUBSCRIPTION_ID/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${AKS}?api-version=2024-05-01"`;
      shell.ok(
        `az rest --method put --url ${url} --body '{"location":"eastus","properties":{"dnsPrefix":"${AKS}"}}' --output none`,
      );
      const listed = JSON.parse(shell.ok('az aks list --output json')) as Array<{
        name: string;
        resourceGroup: string;
      }>;
      expect(listed.map((c) => [c.resourceGroup, c.name])).toEqual([[RG, AKS]]);
      expect(
        shell.ok(`az aks show --resource-group ${RG} --name ${AKS} --query provisioningState --output tsv`).trim(),
      ).toBe('Succeeded');
    });
  });

  describe('Certificate rotation in AKS', () => {
    it('Rotate your cluster certificates: the old kubeconfig fails with an unknown authority, fresh credentials work', () => {
      shell.ok(`az aks get-credentials --resource-group ${RG} --name ${AKS}`);
      expect(shell.ok('kubectl get namespaces --output name')).toContain('namespace/kube-system');
      aksServer = shell.ok('kubectl config view --minify --output jsonpath="{.clusters[0].cluster.server}"').trim();
      shell.ok('cp ~/.kube/config ~/kubeconfig-before-rotation');

      shell.ok(`az aks rotate-certs --resource-group ${RG} --name ${AKS} --yes`);
      const stale = shell.sh('kubectl --kubeconfig ~/kubeconfig-before-rotation get nodes');
      expect(stale.code).not.toBe(0);
      expect(stale.stderr).toContain('x509: certificate signed by unknown authority');

      shell.ok(`az aks get-credentials --resource-group ${RG} --name ${AKS} --overwrite-existing`);
      expect(shell.sh('kubectl get nodes')).toMatchObject({ code: 0 });
    });
  });

  describe('KMS etcd encryption with Azure Key Vault', () => {
    it('Create a key vault and key: the key is created, az keyvault key show gives its id', () => {
      // az keyvault key create --vault-name $VAULT --name etcd-kek
      shell.ok(
        `az rest --method post --url "\${KEY_VAULT_URL}keys/etcd-kek/create?api-version=7.4" --resource "$KV_RESOURCE" --body '{"kty":"RSA"}' --output none`,
        vaultEnv(),
      );
      // az keyvault key show --vault-name $VAULT --name etcd-kek --query key.kid
      const kid = shell
        .ok(
          'az rest --method get --url "${KEY_VAULT_URL}keys/etcd-kek?api-version=7.4" --resource "$KV_RESOURCE" --query key.kid --output tsv',
          vaultEnv(),
        )
        .trim();
      expect(kid).toMatch(new RegExp(`^${vault.url}keys/etcd-kek/[0-9a-f]{32}$`));
      keyIds.push(kid);
    });

    it('Assign permissions to the cluster identity: without encrypt/decrypt on the key, turning KMS on is refused', () => {
      const refused = shell.sh(
        `az aks update --name ${AKS} --resource-group ${RG} --enable-azure-keyvault-kms --azure-keyvault-kms-key-vault-network-access "Public" --azure-keyvault-kms-key-id "$KEY_ID" --output none`,
        { KEY_ID: keyIds[0] ?? '' },
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(
        '(AzureKeyVaultKmsValidateIdentityPermissionCustomerError) The identity does not have keys encrypt/decrypt permission on key vault',
      );
      // IDENTITY_OBJECT_ID=$(az aks show … --query identity.principalId); az keyvault set-policy -n $KEYVAULT_NAME --key-permissions decrypt encrypt --object-id $IDENTITY_OBJECT_ID
      const objectId = shell
        .ok(`az aks show --name ${AKS} --resource-group ${RG} --query identity.principalId --output tsv`)
        .trim();
      shell.ok(
        `az keyvault set-policy --name "$VAULT" --resource-group "$VAULT" --key-permissions decrypt encrypt --object-id "${objectId}" --output none`,
        vaultEnv(),
      );
      const policies = JSON.parse(
        shell.ok(
          'az keyvault show --name "$VAULT" --resource-group "$VAULT" --query properties.accessPolicies --output json',
          vaultEnv(),
        ),
      ) as Array<{
        objectId: string;
        permissions: { keys: string[] };
      }>;
      // az merges the permissions through a Python set, so their order changes from run to run.
      expect(policies).toEqual([
        expect.objectContaining({ objectId, permissions: expect.objectContaining({ keys: expect.any(Array) }) }),
      ]);
      expect([...(policies[0]?.permissions.keys ?? [])].sort()).toEqual(['decrypt', 'encrypt']);
    });

    it('Turn on KMS for a public key vault on an existing cluster, then rewrite every secret under the key', async () => {
      shell.ok(
        'kubectl create namespace payments && kubectl create secret generic db --namespace payments --from-literal=password=s3cret',
      );
      shell.ok(
        `az aks update --name ${AKS} --resource-group ${RG} --enable-azure-keyvault-kms --azure-keyvault-kms-key-vault-network-access "Public" --azure-keyvault-kms-key-id "$KEY_ID" --output none`,
        { KEY_ID: keyIds[0] ?? '' },
      );
      const kms = JSON.parse(
        shell.ok(
          `az aks show --name ${AKS} --resource-group ${RG} --query securityProfile.azureKeyVaultKms --output json`,
        ),
      ) as Record<string, unknown>;
      expect(kms).toMatchObject({ enabled: true, keyId: keyIds[0], keyVaultNetworkAccess: 'Public' });
      const version = (keyIds[0] ?? '').split('/').pop() ?? '';
      expect((await shell.encryption(aksServer)).stale).toEqual(['payments/db']);
      reencryptAll();
      expect(await shell.encryption(aksServer)).toMatchObject({
        currentKeyVersion: version,
        secrets: { 'payments/db': version },
        stale: [],
      });
    });

    it('Rotate the existing keys: a new key version, the cluster moved to it, every secret re-encrypted under it', async () => {
      shell.ok(
        'kubectl create secret generic api-token --namespace default --from-literal=token=t0ken && kubectl create secret generic web-tls --namespace payments --from-literal=tls.key=k',
      );
      // az keyvault key rotate --vault-name $VAULT --name etcd-kek
      const rotated = shell
        .ok(
          'az rest --method post --url "${KEY_VAULT_URL}keys/etcd-kek/rotate?api-version=7.4" --resource "$KV_RESOURCE" --query key.kid --output tsv',
          vaultEnv(),
        )
        .trim();
      // az keyvault key list-versions --vault-name $VAULT --name etcd-kek
      const versions = JSON.parse(
        shell.ok(
          'az rest --method get --url "${KEY_VAULT_URL}keys/etcd-kek/versions?api-version=7.4" --resource "$KV_RESOURCE"',
          vaultEnv(),
        ),
      ) as {
        value: Array<{ kid: string }>;
      };
      expect(versions.value.map((v) => v.kid).sort()).toEqual([keyIds[0], rotated].sort());
      keyIds.push(rotated);

      shell.ok(
        `az aks update --name ${AKS} --resource-group ${RG} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id "$NEW_KEY_ID" --azure-keyvault-kms-key-vault-network-access "Public" --output none`,
        { NEW_KEY_ID: rotated },
      );
      const newVersion = rotated.split('/').pop() ?? '';
      const before = await shell.encryption(aksServer);
      expect(before.currentKeyVersion).toBe(newVersion);
      expect(before.stale).toEqual(['default/api-token', 'payments/db', 'payments/web-tls']);

      reencryptAll();
      const after = await shell.encryption(aksServer);
      expect(after.stale).toEqual([]);
      expect(Object.values(after.secrets).every((v) => v === newVersion)).toBe(true);
      expect(Object.keys(after.secrets).sort()).toEqual(['default/api-token', 'payments/db', 'payments/web-tls']);
    });

    it('Update the key vault mode: not in place while KMS is on', () => {
      const refused = shell.sh(
        `az aks update --name ${AKS} --resource-group ${RG} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id "$KEY_ID" --azure-keyvault-kms-key-vault-network-access "Private" --azure-keyvault-kms-key-vault-resource-id "$KEY_VAULT_RESOURCE_ID" --output none`,
        { KEY_ID: keyIds[1] ?? '', KEY_VAULT_RESOURCE_ID: vaultResourceId() },
      );
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(
        '(BadRequest) Changing the key vault network access of Azure Key Vault KMS from Public to Private is not allowed while KMS is enabled.',
      );
      expect(
        shell
          .ok(
            `az aks show --name ${AKS} --resource-group ${RG} --query securityProfile.azureKeyVaultKms.keyVaultNetworkAccess --output tsv`,
          )
          .trim(),
      ).toBe('Public');
    });

    it('Update from a public to a private key vault: turn KMS off, rewrite, disable public access, turn KMS on as Private, rewrite', async () => {
      shell.ok(`az aks update --name ${AKS} --resource-group ${RG} --disable-azure-keyvault-kms --output none`);
      reencryptAll();
      expect(await shell.encryption(aksServer)).toMatchObject({ currentKeyVersion: 'identity', stale: [] });

      const access = shell.ok(
        'az keyvault update --name "$VAULT" --resource-group "$VAULT" --public-network-access Disabled --query properties.publicNetworkAccess --output tsv',
        vaultEnv(),
      );
      expect(access.trim()).toBe('Disabled');
      // A vault that refuses public traffic cannot be used with Public network access: the KMS plugin cannot reach it.
      const unreachable = shell.sh(
        `az aks update --name ${AKS} --resource-group ${RG} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id "$KEY_ID" --azure-keyvault-kms-key-vault-network-access "Public" --output none`,
        { KEY_ID: keyIds[1] ?? '' },
      );
      expect(unreachable.code).not.toBe(0);
      expect(unreachable.stderr).toContain('Public network access is disabled');

      shell.ok(
        `az aks update --name ${AKS} --resource-group ${RG} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id "$KEY_ID" --azure-keyvault-kms-key-vault-network-access "Private" --azure-keyvault-kms-key-vault-resource-id "$KEY_VAULT_RESOURCE_ID" --output none`,
        { KEY_ID: keyIds[1] ?? '', KEY_VAULT_RESOURCE_ID: vaultResourceId() },
      );
      const kms = JSON.parse(
        shell.ok(
          `az aks show --name ${AKS} --resource-group ${RG} --query securityProfile.azureKeyVaultKms --output json`,
        ),
      ) as Record<string, unknown>;
      expect(kms).toMatchObject({
        enabled: true,
        keyId: keyIds[1],
        keyVaultNetworkAccess: 'Private',
        keyVaultResourceId: vaultResourceId(),
      });
      reencryptAll();
      const version = (keyIds[1] ?? '').split('/').pop() ?? '';
      expect(await shell.encryption(aksServer)).toMatchObject({ currentKeyVersion: version, stale: [] });
    });

    it('Turn off KMS: the cluster stops encrypting, and rewriting the secrets stores them without the key', async () => {
      shell.ok(`az aks update --name ${AKS} --resource-group ${RG} --disable-azure-keyvault-kms --output none`);
      expect(
        shell
          .ok(
            `az aks show --name ${AKS} --resource-group ${RG} --query securityProfile.azureKeyVaultKms.enabled --output tsv`,
          )
          .trim(),
      ).toBe('false');
      expect((await shell.encryption(aksServer)).stale).toHaveLength(3);
      reencryptAll();
      expect(await shell.encryption(aksServer)).toMatchObject({ currentKeyVersion: 'identity', stale: [] });
    });
  });

  describe('Migrate to KMS v2', () => {
    const OLD = 'aks-v1';
    it('a cluster older than 1.27 with KMS on cannot be upgraded to 1.27; turn KMS off, rewrite, upgrade, turn it on again', () => {
      const url = `"$ARM_ENDPOINT/subscriptions/$SUBSCRIPTION_ID/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${OLD}?api-version=2024-05-01"`;
      shell.ok(
        `az rest --method put --url ${url} --body '{"location":"eastus","properties":{"kubernetesVersion":"1.26.6","dnsPrefix":"${OLD}"}}' --output none`,
      );
      const objectId = shell
        .ok(`az aks show --name ${OLD} --resource-group ${RG} --query identity.principalId --output tsv`)
        .trim();
      shell.ok(
        `az keyvault set-policy --name "$VAULT" --resource-group "$VAULT" --key-permissions decrypt encrypt --object-id "${objectId}" --output none`,
        vaultEnv(),
      );
      shell.ok(
        'az keyvault update --name "$VAULT" --resource-group "$VAULT" --public-network-access Enabled --output none',
        vaultEnv(),
      );
      const enable = `az aks update --name ${OLD} --resource-group ${RG} --enable-azure-keyvault-kms --azure-keyvault-kms-key-id "$KEY_ID" --azure-keyvault-kms-key-vault-network-access "Public" --output none`;
      shell.ok(enable, { KEY_ID: keyIds[1] ?? '' });
      shell.ok(`az aks get-credentials --resource-group ${RG} --name ${OLD} --file ~/kubeconfig-v1`);
      shell.ok(
        'kubectl --kubeconfig ~/kubeconfig-v1 create secret generic legacy --namespace default --from-literal=k=v',
      );

      const blocked = shell.sh(
        `az aks upgrade --resource-group ${RG} --name ${OLD} --kubernetes-version 1.27.3 --yes --output none`,
      );
      expect(blocked.code).not.toBe(0);
      expect(blocked.stderr).toContain('Azure Key Vault KMS is enabled with KMS v1');

      shell.ok(`az aks update --name ${OLD} --resource-group ${RG} --disable-azure-keyvault-kms --output none`);
      shell.ok(
        'kubectl --kubeconfig ~/kubeconfig-v1 get secrets --all-namespaces -o json | kubectl --kubeconfig ~/kubeconfig-v1 replace -f -',
      );
      shell.ok(`az aks upgrade --resource-group ${RG} --name ${OLD} --kubernetes-version 1.27.3 --yes --output none`);
      shell.ok(enable, { KEY_ID: keyIds[1] ?? '' });
      const shown = JSON.parse(
        shell.ok(
          `az aks show --name ${OLD} --resource-group ${RG} --query "{version: kubernetesVersion, kms: securityProfile.azureKeyVaultKms.enabled}" --output json`,
        ),
      ) as Record<string, unknown>;
      expect(shown).toEqual({ version: '1.27.3', kms: true });
    });
  });

  describe('kubectl: who am I, and impersonation', () => {
    it('kubectl auth whoami shows the credential az aks get-credentials wrote', () => {
      expect(shell.ok('kubectl auth whoami')).toMatch(
        /Username\s+masterclient\nGroups\s+\[system:masters system:authenticated\]/,
      );
    });

    it('kubectl --as and --as-group act as another user, and RBAC judges that user', () => {
      expect(shell.ok('kubectl auth whoami --as jane --as-group developers')).toMatch(
        /Username\s+jane\nGroups\s+\[developers system:authenticated\]/,
      );
      const denied = shell.sh('kubectl get secrets --namespace payments --as jane --as-group developers');
      expect(denied.code).not.toBe(0);
      expect(denied.stderr).toContain(
        'secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" in the namespace "payments"',
      );
    });
  });
});
