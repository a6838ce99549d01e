#!/bin/sh
# Rendered by agent-studio-voice: runs the agent worker in two compose services, its slots, so a
# deploy never leaves LiveKit without a registered worker and never cuts a call.
#   start      at boot: starts the slot that served last
#   hand-over  a deploy: starts the other slot with the new image or environment, waits until that
#              worker is registered (its health check), then drains every other worker
#   stop       drains every worker and waits until each has ended its calls
set -eu

project={{PROJECT_NAME}}
slot_file={{SLOT_FILE}}

compose() {
  docker compose --project-name "$project" --project-directory {{STACK_DIR}} --profile {{WORKER_PROFILE}} "$@"
}

running() {
  docker ps --quiet --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1"
}

# LiveKit Agents drains on its first SIGTERM: it takes no new job and exits once its calls have
# ended. A second SIGTERM would force it out with its calls, so a worker is signalled once; its
# restart policy, set to "no" first so Docker does not start it again, marks it as draining.
drain() {
  if [ "$(docker inspect --format '{{.HostConfig.RestartPolicy.Name}}' "$1")" != no ]; then
    docker update --restart=no "$1" >/dev/null
    docker kill --signal SIGTERM "$1" >/dev/null
  fi
}

# Past the longest call and its margin, compose's own stop (SIGKILL) takes over.
wait_drained() {
  timeout {{DRAIN_SECONDS}} docker wait "$1" >/dev/null || echo "worker container $1 still had calls after {{DRAIN_SECONDS}}s" >&2
}

case "${1:-}" in
  start)
    serving=$(cat "$slot_file" 2>/dev/null || echo {{FIRST_SLOT}})
    compose up --detach --wait --no-deps --force-recreate "$serving"
    ;;
  hand-over)
    if [ "$(cat "$slot_file" 2>/dev/null || true)" = {{FIRST_SLOT}} ]; then next={{SECOND_SLOT}}; else next={{FIRST_SLOT}}; fi
    # The previous deploy's worker may still be ending its calls in this slot: recreating it would cut them.
    for id in $(running "$next"); do
      echo "the worker in $next is still ending calls from the previous deploy: waiting for them" >&2
      drain "$id"
      wait_drained "$id"
    done
    compose up --detach --wait --no-deps --force-recreate "$next"
    mkdir -p "$(dirname "$slot_file")"
    echo "$next" > "$slot_file"
    for service in {{FIRST_SLOT}} {{SECOND_SLOT}} {{RETIRED_SERVICE}}; do
      [ "$service" = "$next" ] && continue
      for id in $(running "$service"); do drain "$id"; done
    done
    ;;
  stop)
    ids=""
    for service in {{FIRST_SLOT}} {{SECOND_SLOT}} {{RETIRED_SERVICE}}; do ids="$ids $(running "$service")"; done
    for id in $ids; do drain "$id"; done
    for id in $ids; do wait_drained "$id"; done
    ;;
  *)
    echo "usage: $0 start|hand-over|stop" >&2
    exit 2
    ;;
esac
