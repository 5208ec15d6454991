#!/usr/bin/env bash
# Plays the demo PGO app's back-channel part of the MedMij authorization flow: exchanges the
# authorization code the browser ended with for tokens, over mutual TLS with the demo PGO certificate
# (POST /oauth/token). Give the whole address the browser stopped on, or just the code. Prints the
# token response (access_token, token_type, expires_in, refresh_token unless "this time only", scope).
#
#   Scripts/demo-pgo-token.sh [--data-dir .zorgnet] [--back 127.0.0.1:9443] 'https://pgo-demo.zorgnet.test/callback?code=…&state=demo'
#   Scripts/demo-pgo-token.sh [--data-dir .zorgnet] [--back 127.0.0.1:9443] --refresh REFRESH_TOKEN
#
# With --access-only it prints only the access token, for TOKEN=$(…).
set -euo pipefail
data=".zorgnet"; back="127.0.0.1:9443"; refresh=""; access_only=""
redirect_uri="https://pgo-demo.zorgnet.test/callback"
while [ $# -gt 0 ]; do
    case "$1" in
        --data-dir) data="$2"; shift 2 ;;
        --back) back="$2"; shift 2 ;;
        --refresh) refresh="$2"; shift 2 ;;
        --access-only) access_only=1; shift ;;
        -*) echo "unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
tls=(--silent --show-error --cacert "$data/pki/ca.crt" --cert "$data/pki/pgo-demo.crt" --key "$data/pki/pgo-demo.key")
url="https://$back/oauth/token"
correlation=(-H "MedMij-Request-ID: $(uuidgen 2>/dev/null || cat /proc/sys/kernel/random/uuid)")

if [ -n "$refresh" ]; then
    response=$(curl "${tls[@]}" "${correlation[@]}" "$url" \
        --data-urlencode grant_type=refresh_token --data-urlencode "refresh_token=$refresh")
else
    given="${1:?usage: demo-pgo-token.sh [--data-dir D] [--back HOST:PORT] ADDRESS-OR-CODE | --refresh TOKEN}"
    if [[ "$given" == *"error="* ]]; then
        echo "the browser came back with an error, not a code: $given" >&2; exit 1
    fi
    code="$given"
    if [[ "$given" == *"code="* ]]; then
        code="${given#*code=}"; code="${code%%&*}"
    fi
    response=$(curl "${tls[@]}" "${correlation[@]}" "$url" \
        --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
        --data-urlencode "redirect_uri=$redirect_uri" --data-urlencode "client_id=pgo-demo.zorgnet.test")
fi

if [ -n "$access_only" ]; then
    token=$(printf '%s' "$response" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    [ -n "$token" ] || { echo "$response" >&2; exit 1; }
    printf '%s\n' "$token"
else
    printf '%s\n' "$response"
    [[ "$response" == *'"access_token"'* ]] || exit 1
fi
