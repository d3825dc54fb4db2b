#!/usr/bin/env bash
# Makes sure the Azure CLI (Debian's azure-cli) is installed, for the fidelity suite that runs the runbooks' az
# commands against `certops sandbox`; installs it with apt-get when missing. Also makes `.localhost` names resolve to
# loopback for every program (RFC 6761; libnss-myhostname), since the sandbox's Key Vault answers at
# certops-sim.vault.localhost, as a vault answers at {name}.vault.azure.net.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
updated=""
install() {
  [ -n "$updated" ] || { apt-get update -qq; updated=1; }
  apt-get install -y -qq "$@" >/dev/null
}
if ! command -v az >/dev/null 2>&1; then
  echo "installing azure-cli"
  install azure-cli
fi
if ! getent ahosts certops-sim.vault.localhost >/dev/null 2>&1; then
  echo "installing libnss-myhostname so that .localhost names resolve to loopback"
  install libnss-myhostname
fi
az version --output tsv --query '"azure-cli"' 2>/dev/null | sed 's/^/azure-cli /'
