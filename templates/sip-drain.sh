#!/bin/sh
# Rendered by agent-studio-voice's rolling deploy (components/rolling-deploy): the deploy runs it on
# a node over SSH (`sudo sh -s -- drain|resume <revision>`, the script on stdin); it is not installed
# on the host. <revision> is the digest of the node's changes this roll brings.
#   drain   raises the load balancer's drain flag; SIGTERMs livekit-sip, which then takes no new
#           outbound call and exits once its calls have ended; waits for that up to the longest call allowed, then ends what is left, as
#           compose's stop grace would. (Its origination URL is disabled before: a draining
#           livekit-sip still accepts INVITEs.)
#   resume  after the node's update: starts livekit-sip again from its compose definition and waits
#           until livekit-sip and livekit-server answer their health checks; lowers the flag and
#           records <revision>.
# A step runs again when only its SSH connection changed: a node already rolled at <revision> is
# not drained again (its origination URL was not disabled for it).
set -eu

project={{PROJECT_NAME}}
rolled={{ROLLED_FILE}}
lb_drain_flag={{LB_DRAIN_FLAG}}
revision=${2:?usage: $0 drain|resume <revision>}

compose() {
  docker compose --project-name "$project" --project-directory {{STACK_DIR}} "$@"
}

running_sip() {
  docker ps --quiet --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service={{SIP_SERVICE}}"
}

case "${1:-}" in
  drain)
    if [ "$(cat "$rolled" 2>/dev/null || true)" = "$revision" ]; then
      echo "this node was already rolled at revision $revision: nothing to drain" >&2
      exit 0
    fi
    # The load balancer's health check answers 503 from now on: no new signaling connection lands
    # here while the node drains and updates (a single-host stack has no load balancer to read it).
    mkdir -p "$(dirname "$lb_drain_flag")"
    touch "$lb_drain_flag"
    if ! command -v docker >/dev/null 2>&1; then
      echo "Docker is not installed yet on this node (a new host): nothing to drain" >&2
      exit 0
    fi
    ids=$(running_sip)
    if [ -z "$ids" ]; then
      echo "livekit-sip is not running on this node: nothing to drain" >&2
      exit 0
    fi
    for id in $ids; do
      # Restart policy off first, or Docker would start it again the moment it exits; resume
      # recreates it with its compose definition.
      docker update --restart=no "$id" >/dev/null
      docker kill --signal SIGTERM "$id" >/dev/null
    done
    # Polled rather than `docker wait`ed: a line a minute keeps the SSH session of the deploy busy
    # and tells whoever watches it how long the drain has taken so far.
    for id in $ids; do
      waited=0
      while [ "$(docker inspect --format '{{.State.Running}}' "$id")" = true ]; do
        if [ "$waited" -ge {{DRAIN_SECONDS}} ]; then
          echo "livekit-sip still had calls after {{DRAIN_SECONDS}}s, past the longest call allowed: ending them to update the node" >&2
          docker kill "$id" >/dev/null 2>&1 || true
          break
        fi
        [ $((waited % 60)) -ne 0 ] || echo "livekit-sip is ending its calls: ${waited}s so far, at most {{DRAIN_SECONDS}}s" >&2
        sleep 5
        waited=$((waited + 5))
      done
    done
    ;;
  resume)
    # A drained livekit-sip is stopped, its restart policy off: recreate it. One the update
    # already recreated (its config changed) runs with its own policy and is left as it is.
    recreate=yes
    for id in $(running_sip); do
      [ "$(docker inspect --format '{{.HostConfig.RestartPolicy.Name}}' "$id")" = no ] || recreate=no
    done
    if [ "$recreate" = yes ]; then set -- --force-recreate; else set --; fi
    if ! compose up --detach --wait --wait-timeout {{HEALTH_SECONDS}} --no-deps "$@" {{SIP_SERVICE}}; then
      echo "livekit-sip did not answer its health check within {{HEALTH_SECONDS}}s of its start: read its log with \`docker compose --project-directory {{STACK_DIR}} logs {{SIP_SERVICE}}\`" >&2
      exit 1
    fi
    if ! timeout {{HEALTH_SECONDS}} sh -c 'until curl --silent --fail --output /dev/null --max-time 5 "$1"; do sleep 2; done' _ http://127.0.0.1:{{LIVEKIT_API_PORT}}/; then
      echo "livekit-server did not answer its health check within {{HEALTH_SECONDS}}s: read its log with \`docker compose --project-directory {{STACK_DIR}} logs {{LIVEKIT_SERVICE}}\`" >&2
      exit 1
    fi
    rm -f "$lb_drain_flag"
    mkdir -p "$(dirname "$rolled")"
    echo "$revision" > "$rolled"
    ;;
  *)
    echo "usage: $0 drain|resume <revision>" >&2
    exit 2
    ;;
esac
