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

install -d -m 0750 {{STACK_DIR}}
install -d -m 0755 "$(dirname {{READY_MARKER}})"
touch {{READY_MARKER}}
