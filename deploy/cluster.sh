#!/usr/bin/env bash
# Two agentdock instances behind nginx on loopback (127.0.0.1:18080 -> :18081, :18082). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
  if [ -n "$home" ] && [ -x "$home/bin/java" ] && "$home/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    JAVA="$home/bin/java"; break
  fi
done
command -v nginx >/dev/null || { echo "installing nginx (Debian package)"; apt-get install -y -q nginx >/dev/null; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; nginx -p "$WORK" -c "$WORK/nginx.conf" -s stop 2>/dev/null || true; }
trap cleanup EXIT INT TERM

for n in 1 2; do
  QUARKUS_PROFILE=dev PORT=1808$n MANAGEMENT_PORT=1908$n AGENTDOCK_INSTANCE_ID=local-$n OPENAI_API_KEY="${OPENAI_API_KEY:-}" \
    "$JAVA" -jar target/quarkus-app/quarkus-run.jar > "$WORK/instance-$n.log" 2>&1 &
  PIDS+=("$!")
done

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
error_log $WORK/nginx-error.log;
pid $WORK/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  upstream agentdock { server 127.0.0.1:18081; server 127.0.0.1:18082; }
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  server {
    listen 127.0.0.1:18080;
    location / {
      proxy_pass http://agentdock;
      proxy_http_version 1.1;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_set_header Host \$host;
      proxy_buffering off;
      proxy_read_timeout 3600s;
    }
  }
}
NGINX

for n in 1 2; do
  until curl -sf "http://127.0.0.1:1808$n/q/health/ready" >/dev/null; do sleep 0.2; done
  echo "instance local-$n ready on :1808$n, metrics on :1908$n/q/metrics (log: $WORK/instance-$n.log)"
done
nginx -p "$WORK" -c "$WORK/nginx.conf"
echo "load balancer on http://127.0.0.1:18080 — Ctrl-C stops the cluster"
wait "${PIDS[0]}"
