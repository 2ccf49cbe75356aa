#!/bin/sh
# Self-test of a deployed alert sink: POST /test sends one clearly marked test message to every
# configured transport at its quiet priority (Pushover -1, ntfy 3: nobody is woken) and answers
# 200 with what each transport did. Run it right after a deploy or a token rotation.
#
#   ./self-test.sh [FUNCTION_URL]
#
# FUNCTION_URL: the argument, or $FUNCTION_URL, or asked from Lambda for $FUNCTION_NAME
#   (default alert_sink) with the AWS CLI.
# The shared secret: $ALERT_SECRET, or read with the AWS CLI from the SSM SecureString named by
#   $SHARED_SECRET_PARAMETER (default /cabal/alert_sink_secret). It is handed to curl on
#   standard input, so it never appears in the process list.
# Exit status: 0 every transport delivered; 1 the request failed; 2 some transport did not.
set -eu

url="${1:-${FUNCTION_URL:-}}"
if [ -z "$url" ]; then
  url=$(aws lambda get-function-url-config --function-name "${FUNCTION_NAME:-alert_sink}" \
    --query FunctionUrl --output text)
fi
secret="${ALERT_SECRET:-}"
if [ -z "$secret" ]; then
  secret=$(aws ssm get-parameter --with-decryption \
    --name "${SHARED_SECRET_PARAMETER:-/cabal/alert_sink_secret}" \
    --query Parameter.Value --output text)
fi

answer=$(printf 'X-Alert-Secret: %s\n' "$secret" \
  | curl -sS -m 20 -X POST -H @- -w '\n%{http_code}' "${url%/}/test") || {
  echo "self-test: no answer from ${url%/}/test" >&2
  exit 1
}
status=$(printf '%s\n' "$answer" | tail -n 1)
body=$(printf '%s\n' "$answer" | sed '$d')
printf '%s\n' "$body"
if [ "$status" != 200 ]; then
  echo "self-test: ${url%/}/test answered HTTP $status" >&2
  exit 1
fi
case "$body" in
  *'"allSent":true'*) echo "self-test: every transport delivered its test message" ;;
  *) echo "self-test: some transport did not deliver (see its outcome and detail above)" >&2
     exit 2 ;;
esac
