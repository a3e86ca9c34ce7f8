#!/usr/bin/env bash
# Try hello-hns on Linux against hcnpy's simulated HNS, the way a runtime drives it.
# Run it in the directory holding 10-hello.conflist, with the venv where you installed
# the plugin (`pip install -e .`) activated.
set -euo pipefail

# 1. A private simulated HNS (on Windows there is nothing to do: the real HNS is there).
export HCNPY_SIM_STATE="$PWD/hns.sqlite3"
hcnpy sim reset

# 2. The HNS network the configuration names, and a namespace standing in for the one
#    containerd creates for each pod.
hcnpy network create --name helloNet --type NAT --subnet 10.10.0.0/24 --gateway 10.10.0.1
NS=$(hcnpy namespace create --json | python -c 'import json, sys; print(json.load(sys.stdin)["ID"])')

# 3. What a runtime is configured with: the configuration directory, the directory holding
#    the plugin programs, and where results are cached.
mkdir -p net.d
cp 10-hello.conflist net.d/
export NETCONFPATH="$PWD/net.d"
CNI_PATH="$(dirname "$(command -v hello-hns)")"
export CNI_PATH
export CNISKEL_CACHE_DIR="$PWD/cache"

# 4. ADD container c1, publishing port 80 on host port 8080, and look at its endpoint.
CAP_ARGS='{"portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"}]}' \
    cniskel add hello "$NS" --container-id c1
hcnpy endpoint show c1_hello

# 5. DEL it, twice: the second DEL finds nothing to delete and still succeeds.
cniskel del hello "$NS" --container-id c1
cniskel del hello "$NS" --container-id c1
hcnpy endpoint list
