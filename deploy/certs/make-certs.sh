#!/usr/bin/env bash
# Makes a private CA and the certificates Barrage's mTLS needs:
#   ca.pem / ca-key.pem                        the CA (keep ca-key.pem secret)
#   controller.pem / controller-key.pem        serverAuth, for the names given
#   agents/ID.pem / agents/ID-key.pem          clientAuth, CN = the agent id
#   --agent 'PREFIX*' makes a fleet certificate (agents/PREFIXany.pem) that
#   any agent whose id starts with PREFIX may present: one key pair for all
#   the replicas of a Deployment (ids = pod names).
#
# Usage: deploy/certs/make-certs.sh OUT_DIR [--host NAME_OR_IP]... [--agent ID]... [--days N]
#   The controller certificate always covers localhost and 127.0.0.1; add
#   the controller's Service DNS name (e.g. barrage-controller.loadtest.svc)
#   with --host. An existing CA in OUT_DIR is reused, so agents can be added.
#
# Then:
#   barrage-controller --grpc 0.0.0.0:7400 --tls-cert OUT/controller.pem \
#     --tls-key OUT/controller-key.pem --tls-ca OUT/ca.pem --token-file token
#   barrage-agent --controller HOST:7400 --id ID --tls-ca OUT/ca.pem \
#     --tls-cert OUT/agents/ID.pem --tls-key OUT/agents/ID-key.pem
#   barrage run FILE --controller HOST:7400 --tls-ca OUT/ca.pem --token-file token
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,20p' "$0"; exit 2; }
OUT=$1; shift
HOSTS=(localhost 127.0.0.1)
AGENTS=()
DAYS=365
while [ $# -gt 0 ]; do
  case "$1" in
    --host) HOSTS+=("$2"); shift 2 ;;
    --agent) AGENTS+=("$2"); shift 2 ;;
    --days) DAYS=$2; shift 2 ;;
    *) echo "make-certs: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT/agents"
umask 077
if [ ! -f "$OUT/ca.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days "$DAYS" -subj "/CN=barrage-ca" \
    -keyout "$OUT/ca-key.pem" -out "$OUT/ca.pem" 2>/dev/null
fi
san=""
for h in "${HOSTS[@]}"; do
  if [[ "$h" =~ ^[0-9.]+$ || "$h" == *:* ]]; then san+="IP:$h,"; else san+="DNS:$h,"; fi
done
sign() {  # sign NAME CN EXT
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$1-key.pem" -out "$1.csr" 2>/dev/null
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$OUT/ca.pem" -CAkey "$OUT/ca-key.pem" -CAcreateserial \
    -days "$DAYS" -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}
sign "$OUT/controller" barrage-controller \
  "subjectAltName=${san%,}
extendedKeyUsage=serverAuth"
for id in "${AGENTS[@]}"; do
  sign "$OUT/agents/${id//\*/any}" "$id" "extendedKeyUsage=clientAuth"
done
chmod 644 "$OUT"/*.pem "$OUT"/agents/*.pem 2>/dev/null || true
chmod 600 "$OUT"/*-key.pem "$OUT"/agents/*-key.pem 2>/dev/null || true
echo "certificates in $OUT: ca.pem, controller.pem (${HOSTS[*]}), agents: ${AGENTS[*]:-none}"
