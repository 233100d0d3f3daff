#!/usr/bin/env bash
# Deploys the dev stack to the local Docker engine: no cloud account, no Pulumi Cloud login.
# State lives in .pulumi/ (a local backend) and secrets are encrypted with a dev passphrase.
# Tenant secrets that are not set yet get placeholders, so the sample tenants start; set real
# ones with `pulumi config set --secret --path 'tenantSecrets.<tenant>.<name>' -s dev`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

docker info >/dev/null 2>&1 || { echo "dev-up: no Docker engine answers; start Docker first" >&2; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund
# The pulumi on PATH when it is recent enough, else the pinned version, installed when absent.
pulumi_bin=$(npx ts-node --transpile-only scripts/pulumiCli.ts)
[ -z "$pulumi_bin" ] || export PATH="$pulumi_bin:$PATH"

mkdir -p .pulumi
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-zeptoclaw-dev}"

pulumi stack select dev 2>/dev/null || pulumi stack init dev

npx ts-node --transpile-only scripts/tenantSecretRefs.ts dev | while read -r tenant name; do
    key="tenantSecrets.${tenant}.${name}"
    # </dev/null: the loop reads its lines from standard input, which must not be lent out.
    if ! pulumi config get --path "$key" -s dev </dev/null >/dev/null 2>&1; then
        # Read from stdin, never from the command line, like any secret.
        printf 'dev-placeholder-%s-%s' "$tenant" "$name" | pulumi config set --secret --path "$key" -s dev
    fi
done

pulumi up -s dev --yes "$@"
