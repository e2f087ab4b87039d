#!/usr/bin/env bash
# Prints a sample with the local test bed's ${LOCAL_*} ids filled in (from hack/local-cluster.sh env).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[[ -f $STATE_DIR/env ]] || die "the local cluster is not running: hack/local-cluster.sh up"
source "$STATE_DIR/env"
python3 -c '
import os, re, sys
text = open(sys.argv[1]).read()
def sub(m):
    key = m.group(1)
    if key not in os.environ:
        sys.exit("unknown variable " + key)
    return os.environ[key]
sys.stdout.write(re.sub(r"\$\{(LOCAL_[A-Z_]+)\}", sub, text))
' "$1"
