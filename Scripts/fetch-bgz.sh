#!/usr/bin/env bash
# Fetches one patient's complete BgZ (the 28 MedMij BgZ 2017 queries) from a running gateway, as a PGO
# app would: over mutual TLS with the demo PGO certificate and a token for that patient. Prints one
# line per query with what came back (all pages: `next` links are followed to the last one); with
# --save DIR it also writes each searchset page there (NN.json, then NN-002.json, NN-003.json …).
#
#   Scripts/fetch-bgz.sh [--data-dir .zorgnet] [--base https://127.0.0.1:9443] [--save DIR] PATIENT
set -euo pipefail
data=".zorgnet"; base="https://127.0.0.1:9443"; save=""
while [ $# -gt 1 ]; do
    case "$1" in
        --data-dir) data="$2"; shift 2 ;;
        --base) base="$2"; shift 2 ;;
        --save) save="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
patient="${1:?usage: fetch-bgz.sh [--data-dir D] [--base URL] [--save DIR] PATIENT}"
cd "$(dirname "$0")/.."
bin="$(swift build --show-bin-path)/zorgnet"
[ -x "$bin" ] || swift build --product zorgnet >/dev/null
token=$("$bin" token issue --data-dir "$data" --client pgo-demo --patient "$patient" --minutes 15)
tls=(--silent --show-error --cacert "$data/pki/ca.crt" --cert "$data/pki/pgo-demo.crt" --key "$data/pki/pgo-demo.key")
[ -n "$save" ] && mkdir -p "$save"

queries=(
  "Patient?_include=Patient:general-practitioner"
  "Coverage?_include=Coverage:payor:Patient&_include=Coverage:payor:Organization"
  "Consent?category=http://snomed.info/sct%7C11291000146105"
  "Consent?category=http://snomed.info/sct%7C11341000146107"
  "Observation/\$lastn?category=http://snomed.info/sct%7C118228005,http://snomed.info/sct%7C384821006"
  "Condition"
  "Observation/\$lastn?code=http://snomed.info/sct%7C365508006"
  "Observation?code=http://snomed.info/sct%7C228366006"
  "Observation?code=http://snomed.info/sct%7C228273003"
  "Observation?code=http://snomed.info/sct%7C365980008"
  "NutritionOrder"
  "Flag"
  "AllergyIntolerance"
  "MedicationStatement?category=urn:oid:2.16.840.1.113883.2.4.3.11.60.20.77.5.3%7C6&_include=MedicationStatement:medication"
  "MedicationRequest?category=http://snomed.info/sct%7C16076005&_include=MedicationRequest:medication"
  "MedicationDispense?category=http://snomed.info/sct%7C422037009&_include=MedicationDispense:medication"
  "DeviceUseStatement?_include=DeviceUseStatement:device"
  "Immunization?status=completed"
  "Observation/\$lastn?code=http://loinc.org%7C85354-9"
  "Observation/\$lastn?code=http://loinc.org%7C29463-7"
  "Observation/\$lastn?code=http://loinc.org%7C8302-2,http://loinc.org%7C8306-3,http://loinc.org%7C8308-9"
  "Observation/\$lastn?category=http://snomed.info/sct%7C275711006&_include=Observation:related-target&_include=Observation:specimen"
  "Procedure?category=http://snomed.info/sct%7C387713003"
  "Encounter?class=http://hl7.org/fhir/v3/ActCode%7CIMP,http://hl7.org/fhir/v3/ActCode%7CACUTE,http://hl7.org/fhir/v3/ActCode%7CNONAC"
  "ProcedureRequest?status=active"
  "ImmunizationRecommendation"
  "Appointment?status=booked,pending,proposed"
  "DeviceRequest?status=active&_include=DeviceRequest:device"
)
# Reads one searchset page from stdin; prints the counts of its entries as JSON on the first line and
# its `next` link (or nothing) on the second, or "ERROR <diagnostics>" when it is no Bundle.
page_summary='
import json, sys
bundle = json.load(sys.stdin)
if bundle.get("resourceType") != "Bundle":
    print("ERROR", bundle.get("issue", [{}])[0].get("diagnostics", ""))
    sys.exit()
counts = {}
for entry in bundle.get("entry", []):
    label = entry["resource"]["resourceType"]
    if entry["search"]["mode"] != "match":
        label += " (included)"
    counts[label] = counts.get(label, 0) + 1
print(json.dumps(counts))
print(next((link["url"] for link in bundle.get("link", []) if link.get("relation") == "next"), ""))'

# Adds up the per-page counts (one JSON object per line on stdin) into the line printed per query.
total_summary='
import json, sys
total = {}
for line in sys.stdin:
    for label, count in json.loads(line).items():
        total[label] = total.get(label, 0) + count
print(", ".join(str(n) + " " + t for t, n in sorted(total.items())) or "nothing")'

number=0
for query in "${queries[@]}"; do
    number=$((number + 1))
    url="$base/fhir/$query"; page=0; counts=""; summary=""
    # Follow the searchset's `next` links to the last page; only ever to this gateway, since each
    # request carries the patient's token.
    while [ -n "$url" ]; do
        page=$((page + 1))
        body=$(curl "${tls[@]}" -H "Authorization: Bearer $token" -H "MedMij-Request-ID: bgz-$number-$page" "$url")
        if [ -n "$save" ]; then
            name=$(printf '%02d' "$number"); [ "$page" -gt 1 ] && name="$name-$(printf '%03d' "$page")"
            printf '%s\n' "$body" > "$save/$name.json"
        fi
        result=$(printf '%s' "$body" | python3 -c "$page_summary")
        if [ "${result#ERROR}" != "$result" ]; then summary="$result"; break; fi
        counts+="$(printf '%s' "$result" | sed -n 1p)"$'\n'
        url=$(printf '%s' "$result" | sed -n 2p)
        if [ -n "$url" ] && [ "${url#"$base"/}" = "$url" ]; then summary="ERROR next link leaves $base: $url"; break; fi
        if [ "$page" -ge 1000 ]; then summary="ERROR more than 1000 pages"; break; fi
    done
    if [ -z "$summary" ]; then
        summary=$(printf '%s' "$counts" | python3 -c "$total_summary")
        [ "$page" -gt 1 ] && summary="$summary ($page pages)"
    fi
    printf '%2d  %-26s  %s\n' "$number" "${query%%\?*}" "$summary"
done
