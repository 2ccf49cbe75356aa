#!/usr/bin/env bash
# Cold start of the alert sink as the Lambda runtime runs it: a fresh JVM constructs
# com.cabalmail.sink.SinkHandler (init: one SSM GetParameters call, HTTP client, transports)
# and answers one Function URL event carrying a critical alert, which goes to Pushover and
# ntfy. SSM is moto's server, Pushover and ntfy a loopback stand-in (LoopbackProviders), all
# on 127.0.0.1. Prints launch -> response milliseconds (median, min, max), the init part, and
# peak RSS from /usr/bin/time -v.
#
#   ./mvnw -B -q -pl benchmarks -am package -DskipTests
#   benchmarks/cold-start.sh                       # 10 runs, flags of the recommended setup
#   RUNS=20 JAVA_OPTS="" benchmarks/cold-start.sh  # JVM defaults
#   CDS=1 benchmarks/cold-start.sh                 # plus an AppCDS archive (local only)
#   UNPACKED=1 benchmarks/cold-start.sh            # classes from the unpacked jar, as Lambda's /var/task
#   FLOOR=1 benchmarks/cold-start.sh               # the floor: JVM + java.net.http client + one POST
#   AOT=1 JAVA=.../jdk-25/bin/java benchmarks/cold-start.sh  # plus a JDK 24+ AOT cache (local only)
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/cold-start.sh
set -Eeuo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

RUNS=${RUNS:-10}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS--XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}
CDS=${CDS:-0}
AOT=${AOT:-0}
jar=${SINK_JAR:-$root/sink-lambda/target/sink-lambda.jar}
classes=$root/benchmarks/target/classes
sample=$root/sink-lambda/src/test/resources/samples/functionurl-event.json
for f in "$jar" "$classes/com/cabalmail/bench/ColdStart.class" "$sample"; do
  [ -e "$f" ] || { echo "missing $f: run ./mvnw -B -q -pl benchmarks -am package -DskipTests" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (GNU time) for peak RSS" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 100); do if curl -s -o /dev/null "$1"; then return 0; fi; sleep 0.1; done; echo "$1 did not come up" >&2; exit 1; }

ssm_port=$(free_port)
python3 -m moto.server -H 127.0.0.1 -p "$ssm_port" >"$work/moto.log" 2>&1 &
pids+=($!)
java -cp "$classes:$root/benchmarks/target/benchmarks.jar" com.cabalmail.bench.LoopbackProviders 0 0 0 >"$work/providers.out" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$ssm_port/"
for _ in $(seq 1 100); do grep -q '^ready' "$work/providers.out" && break; sleep 0.1; done
providers_port=$(awk '/^ready/ {print $2}' "$work/providers.out")
# The stand-in is a JVM too: warm it so that its own first answers are not what is measured.
for _ in $(seq 1 20); do
  curl -s -o /dev/null -d 'token=t&user=u&message=m' "http://127.0.0.1:$providers_port/1/messages.json"
  curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"topic":"alerts"}' "http://127.0.0.1:$providers_port/"
done

secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["headers"]["x-alert-secret"])' "$sample")
export AWS_ACCESS_KEY_ID=AKIDCOLDSTARTBENCH AWS_SECRET_ACCESS_KEY=cold-start-bench-secret
export AWS_SESSION_TOKEN=cold-start-bench-token AWS_REGION=us-east-1
export AWS_ENDPOINT_URL_SSM="http://127.0.0.1:$ssm_port"
python3 - "$secret" <<'PY'
import os, sys, boto3
ssm = boto3.client("ssm", endpoint_url=os.environ["AWS_ENDPOINT_URL_SSM"], region_name="us-east-1")
for name, value in {
    "/cabal/alert_sink_secret": sys.argv[1],
    "/cabal/pushover_user_key": "uQiRzpo4DXghDmr9QzzfQu27cmVRsG",
    "/cabal/pushover_app_token": "azGDORePK8gMaC0QOYAMyEEuzJnyUi",
    "/cabal/ntfy_publisher_token": "tk_coldstartcoldstartcoldstart1",
}.items():
    ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)
PY

export SHARED_SECRET_PARAM=/cabal/alert_sink_secret
export PUSHOVER_USER_KEY_PARAM=/cabal/pushover_user_key
export PUSHOVER_APP_TOKEN_PARAM=/cabal/pushover_app_token
export NTFY_PUBLISHER_TOKEN_PARAM=/cabal/ntfy_publisher_token
export PUSHOVER_API_URL="http://127.0.0.1:$providers_port"
export NTFY_BASE_URL="http://127.0.0.1:$providers_port"
export NTFY_TOPIC=alerts

# The launcher class goes in a jar of its own: class data sharing archives only jar classes.
(cd "$classes" && python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); [z.write(f) for f in sys.argv[2:]]; z.close()' \
  "$work/cold-start.jar" com/cabalmail/bench/ColdStart.class com/cabalmail/bench/HttpClientFloor.class)
main=com.cabalmail.bench.ColdStart
args=("$sample")
expect='"statusCode":204'
if [ "${FLOOR:-0}" = 1 ]; then
  main=com.cabalmail.bench.HttpClientFloor
  args=("http://127.0.0.1:$providers_port/")
  expect='status=200'
fi
cp=$jar:$work/cold-start.jar
if [ "${UNPACKED:-0}" = 1 ]; then
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$jar" "$work/task"
  cp=$work/task:$work/cold-start.jar
fi
# shellcheck disable=SC2206
opts=($JAVA_OPTS)
if [ "$CDS" = 1 ]; then
  "$JAVA" "${opts[@]}" -XX:ArchiveClassesAtExit="$work/sink.jsa" -cp "$cp" \
    "$main" "${args[@]}" >"$work/cds.out" 2>&1 || { cat "$work/cds.out" >&2; exit 1; }
  [ -s "$work/sink.jsa" ] || { echo "no CDS archive was written:" >&2; cat "$work/cds.out" >&2; exit 1; }
  opts+=(-XX:SharedArchiveFile="$work/sink.jsa")
fi

if [ "$AOT" = 1 ]; then
  "$JAVA" "${opts[@]}" -XX:AOTCacheOutput="$work/sink.aot" -cp "$cp" \
    "$main" "${args[@]}" >"$work/aot.out" 2>&1 || { cat "$work/aot.out" >&2; exit 1; }
  [ -s "$work/sink.aot" ] || { echo "no AOT cache was written:" >&2; cat "$work/aot.out" >&2; exit 1; }
  opts+=(-XX:AOTCache="$work/sink.aot")
fi

echo "java: $("$JAVA" -version 2>&1 | head -1); options: ${opts[*]:-(none)}; runs: $RUNS"
totals=() inits=() rss=() cpu=()
for i in $(seq 1 "$RUNS"); do
  launch=$(date +%s%3N)
  /usr/bin/time -v -o "$work/time.txt" "$JAVA" "${opts[@]}" ${EXTRA_OPTS:-} -cp "$cp" \
    "$main" "${args[@]}" >"$work/run.out" 2>&1
  line=$(grep '^COLD-START' "$work/run.out") || { cat "$work/run.out" >&2; exit 1; }
  [ "${VERBOSE:-0}" = 1 ] && cat "$work/run.out"
  case "$line" in
    *"$expect"*) ;;
    *) echo "run $i did not answer $expect: $line" >&2; exit 1 ;;
  esac
  init_done=$(sed -E 's/.*init-done-ms=([0-9]+).*/\1/' <<<"$line")
  answered=$(sed -E 's/.*response-ms=([0-9]+).*/\1/' <<<"$line")
  totals+=($((answered - launch)))
  inits+=($((init_done - launch)))
  rss+=($(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt"))
  cpu+=($(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%d", (u+s)*1000}' "$work/time.txt"))
done

stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "median %s  min %s  max %s", m, a[1], a[NR]}'; }
echo "launch -> response ms:  $(stats "${totals[@]}")"
echo "launch -> init done ms: $(stats "${inits[@]}")"
echo "peak RSS KiB:           $(stats "${rss[@]}")"
echo "CPU (user+sys) ms:      $(stats "${cpu[@]}")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "jar: $(stat -c %s "$jar") bytes"
