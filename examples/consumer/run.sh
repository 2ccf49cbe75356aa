#!/usr/bin/env bash
# The consumer check: installs the published artifacts into the local Maven repository
# (./mvnw -B -q install -DskipTests at the root), then builds examples/consumer, a project
# outside the reactor that imports cabal-alerting-bom from that repository, and runs its test:
# one critical alert routed through alert-pushover and alert-ntfy to loopback stand-ins, both
# of which must receive it. Needs nothing but the local repository and Maven Central.
#
#   examples/consumer/run.sh                        # what .ci/run calls
#   CONSUMER_INSTALL_ARGS='-pl !benchmarks' examples/consumer/run.sh   # extra install arguments
#   CONSUMER_SKIP_INSTALL=true examples/consumer/run.sh                # artifacts already installed
set -Eeuo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
trap 'echo "consumer check FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

# The root project's version: the first <version> of the root pom.xml (it has no parent).
version="$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' pom.xml | head -1)"
if [ -z "$version" ]; then
  echo "no <version> in $root/pom.xml" >&2
  exit 1
fi

if [ "${CONSUMER_SKIP_INSTALL:-false}" != true ]; then
  echo "installing cabal-alerting $version into the local Maven repository"
  # shellcheck disable=SC2086 # extra arguments are meant to split
  ./mvnw -B -q install -DskipTests ${CONSUMER_INSTALL_ARGS:-}
fi

echo "building examples/consumer against cabal-alerting-bom $version"
./mvnw -B -f examples/consumer/pom.xml -Dcabal-alerting.version="$version" clean verify
echo "consumer check passed: one critical alert delivered to Pushover and ntfy stand-ins"
