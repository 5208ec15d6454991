#!/usr/bin/env bash
# Runs two demo gateways side by side on this machine and connects them, so a patient can collect
# their BgZ from one ("the hospital", H) into the other ("their own", P), send self-measurements to H,
# and so H can push a summary into P:
#
#   Scripts/two-gateways.sh [--h-dir .zorgnet-h] [--p-dir .zorgnet-p]
#
# H listens on 127.0.0.1:18443 (front) and :19443 (back), P on 127.0.0.1:28443 and :29443. The browser
# reaches P as https://localhost:28443 and H as https://127.0.0.1:18443: two sites, so the two
# gateways' session cookies stay apart. Both directories are demo data (five demo patients, dev PKIs);
# re-running reuses them. Stop both with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

h_dir=.zorgnet-h
p_dir=.zorgnet-p
while [[ $# -gt 0 ]]; do
    case "$1" in
        --h-dir) h_dir="$2"; shift 2 ;;
        --p-dir) p_dir="$2"; shift 2 ;;
        *) echo "usage: $0 [--h-dir DIR] [--p-dir DIR]" >&2; exit 2 ;;
    esac
done
h_front=18443 h_back=19443 p_front=28443 p_back=29443
ura=90000123                      # the dev hospital certificate's URA
provider=zorgnet@medmij           # H's MedMij provider name (scope "zorgnet")
redirect="https://localhost:$p_front/oauth/callback"

swift build --product zorgnet >/dev/null
zorgnet="$(swift build --show-bin-path)/zorgnet"
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait' EXIT

# serve DIR FRONT BACK LOG [extra flags]: starts a demo gateway and waits until it listens.
serve() {
    local dir="$1" front="$2" back="$3" log="$4"
    shift 4
    "$zorgnet" serve --demo --data-dir "$dir" --front "127.0.0.1:$front" --back "127.0.0.1:$back" "$@" >"$log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 240); do
        grep -q "back  (mutual TLS)" "$log" && { pids+=("$pid"); return 0; }
        kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "two-gateways: $dir did not start" >&2; exit 1; }
        sleep 0.5
    done
    cat "$log"; echo "two-gateways: $dir did not start in time" >&2; exit 1
}

# 1. First run only: each demo gateway creates its data directory, dev PKI and demo patients once.
for pair in "$h_dir $h_front $h_back" "$p_dir $p_front $p_back"; do
    set -- $pair
    if [[ ! -f "$1/pki/ca.crt" ]]; then
        mkdir -p "$(dirname "$1")"
        serve "$1" "$2" "$3" "$(mktemp)"
        kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true
        unset 'pids[-1]'
    fi
done

# 2. P's client certificate for the back channel to H: hostname localhost (P's OAuth client id),
#    issued by P's dev CA.
if [[ ! -f "$p_dir/pki/gateway-client.crt" ]]; then
    csr="$(mktemp)"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost/O=Zorgnet van de patient" \
        -keyout "$p_dir/pki/gateway-client.key" -out "$csr" 2>/dev/null
    chmod 600 "$p_dir/pki/gateway-client.key"
    openssl x509 -req -in "$csr" -CA "$p_dir/pki/ca.crt" -CAkey "$p_dir/pki/ca.key" -CAcreateserial -days 365 -sha256 \
        -extfile <(printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n') \
        -out "$p_dir/pki/gateway-client.crt" 2>/dev/null
fi

# 3. Each back listener trusts its own CA (its demo parties) and the other gateway's.
cat "$h_dir/pki/ca.crt" "$p_dir/pki/ca.crt" >"$h_dir/pki/client-anchors.pem"
cat "$p_dir/pki/ca.crt" "$h_dir/pki/ca.crt" >"$p_dir/pki/client-anchors.pem"

# 4. At H: P is an app (client id localhost) with its exact redirect URI.
"$zorgnet" party register --data-dir "$h_dir" --cert "$p_dir/pki/gateway-client.crt" --id gateway-p --kind app \
    --name "Zorgnet van de patiënt" --client-id localhost --redirect-uri "$redirect"
# At P: H's hospital certificate speaks for the demo hospital (URA $ura), so H can push.
"$zorgnet" party register --data-dir "$p_dir" --cert "$h_dir/pki/hospital-demo.crt" --id hospital-demo --kind organization \
    --name "Demo Ziekenhuis" --ura "$ura"
# At P: who P is as an OAuth client, and H's BgZ (1) and self-measurements (5) endpoints with H's CA as the only anchor.
"$zorgnet" providers set-client --data-dir "$p_dir" --client-id localhost --redirect-uri "$redirect"
for service in 1 5; do
    "$zorgnet" providers set-endpoint --data-dir "$p_dir" --provider "$provider" --data-service "$service" --ura "$ura" \
        --name "Demo Ziekenhuis (H)" --trust-anchors "$h_dir/pki/ca.crt" \
        --client-cert "$p_dir/pki/gateway-client.crt" --client-key "$p_dir/pki/gateway-client.key" \
        --authorize-url "https://127.0.0.1:$h_front/oauth/authorize" --token-url "https://127.0.0.1:$h_back/oauth/token" \
        --fhir-url "https://127.0.0.1:$h_back/fhir"
done

# 5. Both gateways, with the combined client anchors.
serve "$h_dir" "$h_front" "$h_back" "$h_dir/serve.log" --client-ca "$h_dir/pki/client-anchors.pem"
serve "$p_dir" "$p_front" "$p_back" "$p_dir/serve.log" --client-ca "$p_dir/pki/client-anchors.pem"

cat <<EOF

Two gateways are running (logs: $h_dir/serve.log, $p_dir/serve.log):
  H, the hospital:      https://127.0.0.1:$h_front (front), https://127.0.0.1:$h_back (back)
  P, the patient's own: https://localhost:$p_front (front), https://localhost:$p_back (back)

Your browser does not know the two dev CAs: import $p_dir/pki/ca.crt and $h_dir/pki/ca.crt, or accept
the warning once for each address.

Open https://localhost:$p_front/login and log in with the DigiD stand-in as the diabetes patient
(BSN 999945592; enrol the authenticator shown), then "Gegevens uitwisselen":
  - "Gegevens ophalen" sends you to H: log in there the same way, allow, and you return to P with
    one line per BgZ query. Collect again later with:
      $zorgnet pull --data-dir $p_dir --patient pzc-diab-patient --provider $ura
  - "Metingen sturen" lets you pick self-measurements, confirm at H, and shows H's answer per measurement.
H pushes a discharge summary into P with its hospital certificate:
  curl --cacert $p_dir/pki/ca.crt --cert $h_dir/pki/hospital-demo.crt --key $h_dir/pki/hospital-demo.key \\
    -H 'Content-Type: application/fhir+json' --data-binary @Fixtures/push/discharge-summary-diabetes.json \\
    https://localhost:$p_back/fhir

Stop both with Ctrl-C.
EOF
wait
