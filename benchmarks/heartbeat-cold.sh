#!/usr/bin/env bash
# What the heartbeat client adds to a cold, Lambda-like JVM: a fresh `java` process per run
# that builds a Heartbeat and sends its first ping to a loopback server answering as
# Healthchecks does (200 "OK"), against a JVM that does nothing. Per variant, over RUNS runs:
# whole-process wall time (median/min/max), peak RSS (/usr/bin/time -v), and for the ping
# variant the in-process time from the first touch of the client to the ping's outcome (class
# loading + HTTP client start + first request). Also: classes loaded, jar sizes, dependencies.
#
#   benchmarks/heartbeat-cold.sh              # builds heartbeat-client, 15 runs each
#   RUNS=30 JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/heartbeat-cold.sh
#   SKIP_BUILD=1 benchmarks/heartbeat-cold.sh # reuse the jars in target/
#
# JVM flags default to what the Lambda java17/java21 runtimes use (C1 only); override with
# JAVA_OPTS. Needs: java, javac, python3, /usr/bin/time (GNU time).
set -euo pipefail

RUNS=${RUNS:-15}
JAVA=${JAVA:-java}
JAVAC=${JAVAC:-$(dirname "$(command -v "$JAVA")")/javac}
JAVA_OPTS=${JAVA_OPTS:--XX:+TieredCompilation -XX:TieredStopAtLevel=1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPO=${MAVEN_REPO:-$HOME/.m2/repository}

if [ "$RUNS" -lt 10 ]; then
  echo "RUNS must be at least 10" >&2
  exit 2
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$ROOT" && ./mvnw -B -q -pl heartbeat-client -am package -DskipTests)
fi

version() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -1; }
project=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/pom.xml" | head -1)
JARS=(
  "$ROOT/heartbeat-client/target/heartbeat-client-$project.jar"
  "$ROOT/cabal-http/target/cabal-http-$project.jar"
  "$ROOT/cabal-aws/target/cabal-aws-$project.jar"
  "$REPO/com/fasterxml/jackson/core/jackson-core/$(version jackson-core.version)/jackson-core-$(version jackson-core.version).jar"
  "$REPO/org/slf4j/slf4j-api/$(version slf4j.version)/slf4j-api-$(version slf4j.version).jar"
)
for jar in "${JARS[@]}"; do
  [ -f "$jar" ] || { echo "missing $jar (build first)" >&2; exit 2; }
done
CP=$(IFS=:; echo "${JARS[*]}")

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/src" "$work/classes"
cat > "$work/src/Baseline.java" <<'JAVA'
public final class Baseline {
  public static void main(String[] args) {
    System.out.println("baseline");
  }
}
JAVA
cat > "$work/src/ClientOnly.java" <<'JAVA'
import com.cabalmail.http.HttpDelivery;

/** Only what every java.net.http user pays: building the HttpClient (TLS stack included). */
public final class ClientOnly {
  public static void main(String[] args) {
    long began = System.nanoTime();
    HttpDelivery.warmUp();
    System.out.println("ping-us " + (System.nanoTime() - began) / 1_000);
  }
}
JAVA
cat > "$work/src/ColdPing.java" <<'JAVA'
import com.cabalmail.heartbeat.Heartbeat;
import com.cabalmail.heartbeat.PingOutcome;

public final class ColdPing {
  public static void main(String[] args) {
    long began = System.nanoTime();
    PingOutcome outcome = Heartbeat.of(args[0]).success();
    long took = System.nanoTime() - began;
    System.out.println("ping-us " + took / 1_000 + " " + outcome.kind());
    if (!outcome.delivered()) {
      System.exit(1);
    }
  }
}
JAVA
"$JAVAC" --release 17 -nowarn -d "$work/classes" -cp "$CP" "$work/src/Baseline.java" \
  "$work/src/ClientOnly.java" "$work/src/ColdPing.java"

# Loopback Healthchecks: 200 "OK" to every ping, as the self-hosted server answers.
python3 - "$work/port" <<'PY' &
import http.server, sys
class Ping(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Ping-Body-Limit", "10000")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Ping)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
server_pid=$!
for _ in $(seq 1 100); do [ -f "$work/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$work/port")/ping/5f1c2b3a-8d4e-4f60-9a7b-0c1d2e3f4a5b"

# run VARIANT CLASS [ARGS]: one fresh JVM; appends "wall_ms rss_kb [ping_us]" to $work/VARIANT
run() {
  local variant=$1; shift
  local start end out
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$work/time" "$JAVA" $JAVA_OPTS -cp "$work/classes:$CP" "$@" \
    > "$work/out" 2> "$work/err" || { cat "$work/out" "$work/err" >&2; exit 1; }
  end=$(date +%s%N)
  out=$(awk '/^ping-us/ {print $2}' "$work/out")
  echo "$(( (end - start) / 1000000 )) $(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time") $out" \
    >> "$work/$variant"
}

for i in $(seq 1 "$RUNS"); do   # interleaved, so load changes hit both variants alike
  run baseline Baseline
  run client ClientOnly
  run ping ColdPing "$URL"
done

stats() { # column of file: median min max
  awk -v c="$2" '{print $c}' "$1" | sort -n | awk '{v[NR]=$1} END {
    m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%g %g %g", m, v[1], v[NR]}'
}
classes() { "$JAVA" $JAVA_OPTS -Xlog:class+load:file="$work/classes.log" -cp "$work/classes:$CP" "$@" > /dev/null 2>&1; wc -l < "$work/classes.log"; }

read -r bw bwmin bwmax <<< "$(stats "$work/baseline" 1)"
read -r pw pwmin pwmax <<< "$(stats "$work/ping" 1)"
read -r br brmin brmax <<< "$(stats "$work/baseline" 2)"
read -r pr prmin prmax <<< "$(stats "$work/ping" 2)"
read -r pu pumin pumax <<< "$(stats "$work/ping" 3)"
read -r cu cumin cumax <<< "$(stats "$work/client" 3)"
read -r cw cwmin cwmax <<< "$(stats "$work/client" 1)"

echo "heartbeat-client cold cost: $RUNS runs each, $("$JAVA" -version 2>&1 | head -1), JAVA_OPTS='$JAVA_OPTS'"
printf '%-34s %10s %10s %10s\n' "" median min max
printf '%-34s %10s %10s %10s\n' "JVM doing nothing: wall ms" "$bw" "$bwmin" "$bwmax"
printf '%-34s %10s %10s %10s\n' "JVM + HttpClient only: wall ms" "$cw" "$cwmin" "$cwmax"
printf '%-34s %10s %10s %10s\n' "JVM + first ping: wall ms" "$pw" "$pwmin" "$pwmax"
printf '%-34s %10s %10s %10s\n' "first ping in-process (load+send) ms" \
  "$(awk -v u="$pu" 'BEGIN{printf "%.1f", u/1000}')" \
  "$(awk -v u="$pumin" 'BEGIN{printf "%.1f", u/1000}')" \
  "$(awk -v u="$pumax" 'BEGIN{printf "%.1f", u/1000}')"
printf '%-34s %10s %10s %10s\n' "HttpClient build in-process ms" \
  "$(awk -v u="$cu" 'BEGIN{printf "%.1f", u/1000}')" \
  "$(awk -v u="$cumin" 'BEGIN{printf "%.1f", u/1000}')" \
  "$(awk -v u="$cumax" 'BEGIN{printf "%.1f", u/1000}')"
printf '%-34s %10s %10s %10s\n' "JVM doing nothing: peak RSS MB" \
  "$(awk -v k="$br" 'BEGIN{printf "%.1f", k/1024}')" "$(awk -v k="$brmin" 'BEGIN{printf "%.1f", k/1024}')" "$(awk -v k="$brmax" 'BEGIN{printf "%.1f", k/1024}')"
printf '%-34s %10s %10s %10s\n' "JVM + first ping: peak RSS MB" \
  "$(awk -v k="$pr" 'BEGIN{printf "%.1f", k/1024}')" "$(awk -v k="$prmin" 'BEGIN{printf "%.1f", k/1024}')" "$(awk -v k="$prmax" 'BEGIN{printf "%.1f", k/1024}')"
echo "added (median): wall $(awk -v a="$pw" -v b="$bw" 'BEGIN{print a-b}') ms, peak RSS $(awk -v a="$pr" -v b="$br" 'BEGIN{printf "%.1f", (a-b)/1024}') MB"
echo "classes loaded: nothing $(classes Baseline), HttpClient only $(classes ClientOnly), first ping $(classes ColdPing "$URL")"
echo "load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "runtime jars (the whole dependency list):"
for jar in "${JARS[@]}"; do
  printf '  %8d bytes  %s\n' "$(stat -c %s "$jar")" "$(basename "$jar")"
done
echo "  $(stat -c %s "${JARS[@]}" | awk '{s+=$1} END {printf "%8d", s}') bytes  total"
