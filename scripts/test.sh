#!/usr/bin/env bash
# Runs every Wren test. Installs what the tests need when it is missing (Mosquitto, via apt-get), then runs
# Maven. The tests start their own Mosquitto instances on free loopback ports; nothing else is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

have_mosquitto() {
  command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ]
}

if ! have_mosquitto; then
  echo "Mosquitto not found: installing it with apt-get" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mosquitto >/dev/null
fi

mvn -B -ntp verify "$@"

# the API check must be able to fail: shown against a baseline with a public class the jar lacks
case " $* " in
  *japicmp.skip*|*skipTests*|*-pl\ *) ;;
  *) scripts/api-check-fails.sh ;;
esac

# the public API's Javadoc, with every doclint check on (missing @param, @return, @throws included): a warning fails
case " $* " in
  *-pl\ *|*skipTests*) ;;
  *) mvn -B -ntp -q -pl wren-mqtt,wren-testing javadoc:javadoc && echo "javadoc: no warnings (wren-mqtt, wren-testing)" ;;
esac

# the manual pages (built before packaging, from the commands' definitions): one per command, each with its options
case " $* " in
  *-pl\ *) ;;
  *)
    for page in wren wren-pub wren-sub wren-rr wren-demo wren-completion; do
      if ! grep -q '^\.SH "OPTIONS"' "wren-cli/target/man/$page.1" 2>/dev/null; then
        echo "manual page wren-cli/target/man/$page.1 is missing or has no OPTIONS section" >&2
        exit 1
      fi
    done
    echo "manual pages: wren-cli/target/man/*.1 (6)" ;;
esac
