#!/bin/bash
# Rendered by agent-studio-voice: prepares a Debian 12 host for the voice stack. Runs at every
# boot (GCE startup script), so every step is idempotent. The deployment waits for READY_MARKER.
set -euo pipefail

if ! command -v docker >/dev/null || ! docker compose version >/dev/null 2>&1; then
  apt-get update
  apt-get install -y ca-certificates curl gnupg
  install -m 0755 -d /etc/apt/keyrings
  curl -fsSL https://download.docker.com/linux/debian/gpg -o /etc/apt/keyrings/docker.asc
  chmod a+r /etc/apt/keyrings/docker.asc
  echo "deb [arch=$(dpkg --print-architecture) signed-by=/etc/apt/keyrings/docker.asc] https://download.docker.com/linux/debian bookworm stable" \
    > /etc/apt/sources.list.d/docker.list
  apt-get update
  apt-get install -y docker-ce docker-ce-cli containerd.io docker-compose-plugin
fi
systemctl enable --now docker

# Google Cloud Ops Agent, pinned: ships the containers' logs and the services' Prometheus metrics
# (the deployment writes its config, /etc/google-cloud-ops-agent/config.yaml, and restarts it).
if [ "$(dpkg-query -W -f '${Version}' google-cloud-ops-agent 2>/dev/null || true)" != "{{OPS_AGENT_VERSION}}~debian12" ]; then
  install -m 0755 -d /etc/apt/keyrings
  curl -fsSL https://packages.cloud.google.com/apt/doc/apt-key.gpg | gpg --dearmor --yes -o /etc/apt/keyrings/google-cloud-ops-agent.gpg
  echo "deb [signed-by=/etc/apt/keyrings/google-cloud-ops-agent.gpg] https://packages.cloud.google.com/apt google-cloud-ops-agent-bookworm-all main" \
    > /etc/apt/sources.list.d/google-cloud-ops-agent.list
  apt-get update
  apt-get install -y --allow-downgrades "google-cloud-ops-agent={{OPS_AGENT_VERSION}}~debian12"
fi
systemctl enable --now google-cloud-ops-agent

# WebRTC and RTP want large UDP buffers (LiveKit's deployment guide).
cat > /etc/sysctl.d/90-agent-studio-voice.conf <<'SYSCTL'
net.core.rmem_max = 5000000
net.core.wmem_max = 5000000
fs.file-max = 2097152
SYSCTL
sysctl --system >/dev/null

# Root's docker (compose runs as root) pulls the worker image from Artifact Registry through the
# gcloud credential helper, i.e. with the VM's service account (roles/artifactregistry.reader).
HOME=/root gcloud auth configure-docker {{REGISTRY_HOST}} --quiet

# Secure trunking: livekit-sip reads its SIP/TLS certificate (Caddy's, for sip.<domain>) only when
# it starts, so a timer restarts it once Caddy has renewed the certificate and no call is up. Caddy
# renews 30 days before expiry, leaving a month of idle moments; a restart drains (SIGTERM) and
# takes a second or two, during which a new call is refused and Twilio tries its next origination URL.
cat > /usr/local/sbin/agent-studio-voice-sip-certificate <<'RELOAD'
#!/bin/bash
set -euo pipefail
cd {{STACK_DIR}}
container=$(docker compose -p {{PROJECT_NAME}} ps -q {{SIP_SERVICE}})
[ -n "$container" ] || exit 0
# Without secure trunking livekit-sip mounts no certificate: nothing to pick up.
renewed=$(docker exec "$container" bash -c 'stat -c %Y {{CADDY_DATA_MOUNT}}/caddy/certificates/*/*/*.crt 2>/dev/null || true' | sort -n | tail -1)
[ -n "$renewed" ] || exit 0
started=$(date -d "$(docker inspect -f '{{.State.StartedAt}}' "$container")" +%s)
[ "$renewed" -gt "$started" ] || exit 0
active=$(docker exec "$container" bash -c 'exec 3<>/dev/tcp/127.0.0.1/{{SIP_METRICS_PORT}} && printf "GET /metrics HTTP/1.0\r\n\r\n" >&3 && cat <&3' |
  awk '/^livekit_sip_calls_active/ { sum += $NF } END { print sum + 0 }')
[ "$active" = 0 ] || exit 0
logger -t agent-studio-voice "SIP certificate renewed: restarting livekit-sip, which has no call up"
docker compose -p {{PROJECT_NAME}} restart {{SIP_SERVICE}}
RELOAD
chmod 0755 /usr/local/sbin/agent-studio-voice-sip-certificate
cat > /etc/systemd/system/agent-studio-voice-sip-certificate.service <<'UNIT'
[Unit]
Description=Restart livekit-sip on a renewed SIP/TLS certificate when no call is up

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/agent-studio-voice-sip-certificate
UNIT
cat > /etc/systemd/system/agent-studio-voice-sip-certificate.timer <<'UNIT'
[Unit]
Description=Look for a renewed SIP/TLS certificate every five minutes

[Timer]
OnBootSec=5min
OnUnitActiveSec=5min

[Install]
WantedBy=timers.target
UNIT
systemctl daemon-reload
systemctl enable --now agent-studio-voice-sip-certificate.timer

install -d -m 0750 {{STACK_DIR}}
install -d -m 0755 "$(dirname {{READY_MARKER}})"
touch {{READY_MARKER}}
