#!/usr/bin/env bash
# Writes a users CSV of N rows (default 1000000) for volume-csv.yaml:
#   bash deploy/examples/data/make-users.sh 1000000 > /tmp/users-1m.csv
# Columns: id, email, region. Ids are 1..N, so a `unique` run can be checked
# against the target's access log (every id exactly once).
set -euo pipefail
n=${1:-1000000}
python3 - "$n" <<'PY'
import sys
n = int(sys.argv[1])
regions = ("eu-west", "us-east", "ap-south")
out = sys.stdout
out.write("id,email,region\n")
for i in range(1, n + 1):
    out.write("%d,user%d@example.com,%s\n" % (i, i, regions[i % 3]))
PY
