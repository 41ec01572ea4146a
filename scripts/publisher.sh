#!/usr/bin/env bash
# Builds Wren and runs the publisher sample (Zephyr's mqtt_publisher in Java).
#
#   scripts/publisher.sh                       against localhost:1883, or, if nothing listens there, against a
#                                              private Mosquitto started on a free port (installed if missing)
#   scripts/publisher.sh -h HOST -p PORT ...   against the given broker; other options: --help
set -euo pipefail
cd "$(dirname "$0")/.."

LOG=$(mktemp)
if ! mvn -B -q -ntp -DskipTests install >"$LOG" 2>&1; then cat "$LOG" >&2; exit 1; fi
rm -f "$LOG"
JAR=wren-examples/target/wren-examples.jar

for arg in "$@"; do
  case "$arg" in
    -h|--host|-p|--port|--help) exec java -jar "$JAR" "$@" ;;
  esac
done

if (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  exec java -jar "$JAR" "$@"
fi

if ! command -v mosquitto >/dev/null 2>&1 && [ ! -x /usr/sbin/mosquitto ]; then
  echo "No broker on localhost:1883 and Mosquitto not installed: installing it with apt-get" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mosquitto >/dev/null
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18883)
DIR=$(mktemp -d)
printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$PORT" > "$DIR/mosquitto.conf"
"$MOSQUITTO" -c "$DIR/mosquitto.conf" >"$DIR/mosquitto.log" 2>&1 &
BROKER=$!
trap 'kill $BROKER 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
echo "No broker on localhost:1883: started a private Mosquitto on 127.0.0.1:$PORT" >&2
java -jar "$JAR" -h 127.0.0.1 -p "$PORT" "$@"
