#!/usr/bin/env sh
# The large fan-out benchmark: 10,000 items, streaming split with parallel processing, in a JVM limited to 256 MB.
# Passes when the run ends succeeded with 10,000 results. Usage: bench/fanout-10k.sh [items] [heap]
set -eu
ITEMS="${1:-10000}"
HEAP="${2:-256m}"
cd "$(dirname "$0")/.."
mvn -B -q test -Dtest=LargeFanOutIT -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine="-Xmx${HEAP} -Dcaravan.test.large-fanout.items=${ITEMS}"
echo "fan-out of ${ITEMS} items under -Xmx${HEAP}: passed"
