#!/usr/bin/env bash
# Tries the README's walkthrough the way a new user would: start `zorgnet serve --demo`, run the curl
# lines with the demo certificates, check that a client without a certificate is refused, stop the
# server with SIGTERM, and verify the audit chain. Uses a temporary data directory and the default
# ports 8443/9443, which must be free.
set -euo pipefail
cd "$(dirname "$0")/.."

build_log="$(mktemp)"
swift build --product zorgnet >"$build_log" 2>&1 || { cat "$build_log"; echo "walkthrough: the build failed"; exit 1; }
bin="$(swift build --show-bin-path)/zorgnet"
data="$(mktemp -d)"
log="$data/serve.log"
trap 'kill "$pid" 2>/dev/null || true' EXIT

"$bin" serve --demo --data-dir "$data" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
    grep -q "back  (mutual TLS)" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "walkthrough: the server exited early"; exit 1; }
    sleep 0.5
done
grep -q "back  (mutual TLS)" "$log" || { cat "$log"; echo "walkthrough: the server did not start"; exit 1; }

pki="$data/pki"
tls=(--silent --show-error --cacert "$pki/ca.crt" --cert "$pki/pgo-demo.crt" --key "$pki/pgo-demo.key")
failures=0
check() {
    local name="$1" expected="$2" actual="$3"
    if [[ "$actual" == *"$expected"* ]]; then
        echo "ok   - $name"
    else
        echo "FAIL - $name: expected to find '$expected'"
        failures=$((failures + 1))
    fi
}

metadata=$(curl "${tls[@]}" https://127.0.0.1:9443/fhir/metadata)
check "metadata answers a CapabilityStatement" '"resourceType":"CapabilityStatement"' "$metadata"

patient=$(grep -o 'Demo patients: [^,]*' "$log" | head -1 | sed 's/Demo patients: //')
token=$("$bin" token issue --data-dir "$data" --client pgo-demo --patient "$patient" --minutes 15)
patients=$(curl "${tls[@]}" -H "Authorization: Bearer $token" https://127.0.0.1:9443/fhir/Patient)
check "the demo patient is found with the token" "\"id\":\"$patient\"" "$patients"
observations=$(curl "${tls[@]}" -H "Authorization: Bearer $token" "https://127.0.0.1:9443/fhir/Observation?code=http://loinc.org%7C85354-9&_sort=-date")
check "blood pressures are searchable" '"type":"searchset"' "$observations"

bgz=$(bash Scripts/fetch-bgz.sh --data-dir "$data" "$patient")
check "the complete BgZ comes back, with the patient and their GP" "1 Patient, 1 Practitioner (included)" "$bgz"
if echo "$bgz" | grep -q ERROR; then echo "FAIL - a BgZ query failed"; echo "$bgz"; failures=$((failures + 1)); fi
check "zorgnet pzc list names the imported PZCs" "\"patient\" : \"$patient\"" "$("$bin" pzc list --data-dir "$data" --json)"

hospital=(--silent --show-error --cacert "$pki/ca.crt" --cert "$pki/hospital-demo.crt" --key "$pki/hospital-demo.key"
    -H "Content-Type: application/fhir+json")
pushed=$(curl "${hospital[@]}" --data-binary @Fixtures/push/discharge-summary-diabetes.json https://127.0.0.1:9443/fhir)
check "the demo hospital pushes a discharge summary for a patient who permits it" '"type":"transaction-response"' "$pushed"
again=$(curl "${hospital[@]}" --data-binary @Fixtures/push/discharge-summary-diabetes.json https://127.0.0.1:9443/fhir)
if [ "$pushed" = "$again" ]; then echo "ok   - pushing it again answers the same bytes"; else echo "FAIL - a retried push answered differently"; failures=$((failures + 1)); fi
refused=$(curl "${hospital[@]}" --data-binary @Fixtures/push/discharge-summary-not-permitted.json https://127.0.0.1:9443/fhir)
check "a push for a patient who has not permitted it is refused" '"code":"forbidden"' "$refused"

auditor=(--silent --show-error --cacert "$pki/ca.crt" --cert "$pki/auditor.crt" --key "$pki/auditor.key")
check "the auditor finds the push in the access log" '"code":"exchange.push"' \
    "$(curl "${auditor[@]}" "https://127.0.0.1:9443/audit/AuditEvent?subtype=exchange.push&patient=pzc-diab-patient")"
check "the auditor's verify reports the log intact" '"valueBoolean":true' "$(curl "${auditor[@]}" https://127.0.0.1:9443/audit/verify)"
check "the demo app may not read the access log" '"code":"forbidden"' "$(curl "${tls[@]}" https://127.0.0.1:9443/audit/AuditEvent)"

if curl --silent --cacert "$pki/ca.crt" https://127.0.0.1:9443/fhir/metadata >/dev/null 2>&1; then
    echo "FAIL - a client without a certificate was let in"; failures=$((failures + 1))
else
    echo "ok   - a client without a certificate fails the handshake"
fi

kill -TERM "$pid"
wait "$pid" && stopped=0 || stopped=$?
if [ "$stopped" -eq 0 ]; then
    echo "ok   - SIGTERM stops the server cleanly"
else
    echo "FAIL - the server exited with status $stopped on SIGTERM"; failures=$((failures + 1))
fi
"$bin" audit checkpoints --data-dir "$data" >"$data/held-checkpoints.jsonl"
check "the audit chain and its signed checkpoints are intact after the walkthrough" "intact" \
    "$("$bin" audit verify --data-dir "$data" --checkpoints "$data/held-checkpoints.jsonl")"

rm -rf "$data"
[ "$failures" -eq 0 ] || { echo "walkthrough failed ($failures)"; exit 1; }
echo "walkthrough ok"
