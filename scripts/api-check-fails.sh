#!/usr/bin/env bash
# Proves that the public API check (japicmp, at verify in wren-mqtt) breaks the build on an incompatible change:
# it makes a baseline that is the recorded one plus one public class, dev.wren.mqtt.ApiCheckProbe, which the jar
# just built lacks (a removed public class), runs the check against it, and expects it to fail naming that class.
# Run after `mvn verify` (scripts/test.sh does), so that the plugins are there; works offline, builds wren-mqtt again
# (tests skipped) inside the reactor, so it needs nothing installed in the local repository.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/dev/wren/mqtt" "$work/classes"
cat > "$work/src/dev/wren/mqtt/ApiCheckProbe.java" <<'JAVA'
package dev.wren.mqtt;

/** A public class only the probe baseline has: removing a public class is an incompatible change. */
public final class ApiCheckProbe {
    public static int probe() {
        return 1;
    }
}
JAVA
javac --release 17 -d "$work/classes" "$work/src/dev/wren/mqtt/ApiCheckProbe.java"
cp wren-mqtt/api-baseline/wren-mqtt-0.2.0.jar "$work/probe-baseline.jar"
jar uf "$work/probe-baseline.jar" -C "$work/classes" dev/wren/mqtt/ApiCheckProbe.class

if mvn -B -ntp -o -q -pl wren-mqtt -am verify -DskipTests "-Dwren.api.baseline=$work/probe-baseline.jar" >"$work/out.txt" 2>&1; then
  echo "api-check-fails: FAILED: japicmp passed against a baseline with a public class the jar lacks" >&2
  cat "$work/out.txt" >&2
  exit 1
fi
if ! grep -q "ApiCheckProbe" "$work/out.txt"; then
  echo "api-check-fails: FAILED: japicmp failed, but not for the removed class:" >&2
  cat "$work/out.txt" >&2
  exit 1
fi
# and the recorded baseline itself passes, so the failure above is the probe's doing
mvn -B -ntp -o -q -pl wren-mqtt -am verify -DskipTests
echo "api-check-fails: japicmp breaks the build on a removed public class, and passes on the recorded baseline"
