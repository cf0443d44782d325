#!/usr/bin/env bash
# The fan-out benchmark: builds Caravan and the benchmark, then runs Caravan (a YAML job in the real daemon,
# results stored) interleaved with the baselines, and prints medians, ratios and key=value lines.
#   bench/run.sh [--quick] [--java JAVA_HOME] [--only startup,a,b,c,retry,schedule,large]
# The daemon runs on --java (default: the newest JDK found, for virtual threads); the baselines on the JDK that
# runs this script's driver (the same one); the Python asyncio + aiohttp baseline, interleaved with them against the
# same delay server, when a python3 imports aiohttp ($PYTHON, then python3, then /usr/bin/python3; on Debian:
# apt-get install python3-aiohttp).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=""
java_home=""
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick="--quick" ;;
    --java) java_home="$2"; shift ;;
    --only) only=(--only "$2"); shift ;;
    *) echo "usage: bench/run.sh [--quick] [--java JAVA_HOME] [--only startup,a,b,c,retry,schedule,large]" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$java_home" ]; then
  java_home=$(ls -d /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[1-9]* 2>/dev/null | head -n 1 || true)
  [ -n "$java_home" ] || java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
fi
# Builds only what changed since the last build: a rebuilt caravan.jar is newer than its ahead-of-time cache, which
# would then train again (about 15 s) before anything is measured.
stale() { [ ! -f "$1" ] || [ -n "$(find "${@:2}" -newer "$1" -print -quit)" ]; }
if stale target/caravan.jar pom.xml src/main; then mvn -B -q package -DskipTests; fi
if stale bench/target/caravan-bench.jar bench/pom.xml bench/src; then mvn -B -q -f bench/pom.xml package; fi
# On Java 25+ the launcher trains the JVM's ahead-of-time cache once per build (bin/caravan); done here so that no
# measured start includes it. CARAVAN_AOT=off measures the daemon without it.
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$java_home/release" 2>/dev/null || true)
if [ "${CARAVAN_AOT:-on}" != "off" ] && [ "${major:-0}" -ge 25 ] && [ ! target/caravan.aot -nt target/caravan.jar ]; then
  JAVA_HOME="$java_home" sh bin/caravan aot-train
fi
mkdir -p bench/results
out="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-$(basename "$java_home").txt"
"$java_home/bin/java" -jar bench/target/caravan-bench.jar --caravan-jar target/caravan.jar --java "$java_home" \
  --work bench/results/daemons $quick "${only[@]}" | tee "$out"
