#!/usr/bin/env bash
# Records the JDK 25 AOT cache (JEP 483/514/515) of the aot-jar packaging with a training run:
# starts the service with -XX:AOTCacheOutput, drives the requests a fresh pod serves first
# (sign-up, login, the authenticated reads, an inbound message, a takeover, a reply, lists), then
# stops it with SIGTERM, which writes the cache. Used by Dockerfile.jvm (at image build time, in the
# runtime image, so the JDK build and class path match) and by src/bench/cold-start.sh (which
# measures exactly this cache).
#
#   aot-training.sh APP_DIR CACHE_FILE
#
# Environment: QUARKUS_DATASOURCE_REACTIVE_URL/_USERNAME/_PASSWORD (an empty database to migrate),
# BATON_JWT_PRIVATE_KEY_LOCATION/_PUBLIC_KEY_LOCATION, QUARKUS_HTTP_PORT (8080), QUARKUS_MANAGEMENT_PORT (9000), JAVA (java),
# TOKEN_FILE (optional: where to write an owner's access token). Needs curl.
set -euo pipefail
app=$1 cache=$2
java=${JAVA:-java}
base=http://127.0.0.1:${QUARKUS_HTTP_PORT:-8080}
ready=http://127.0.0.1:${QUARKUS_MANAGEMENT_PORT:-9000}/q/health/ready
log=${TRAINING_LOG:-/tmp/aot-training.log}

BATON_SIGNUP_ENABLED=true BATON_MIGRATE_AT_START=true BATON_PASSWORD_ITERATIONS=${BATON_PASSWORD_ITERATIONS:-1000} \
  "$java" -XX:AOTCacheOutput="$cache" -jar "$app/quarkus-run.jar" >"$log" 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  curl -sf -o /dev/null "$ready" && break
  kill -0 "$pid" 2>/dev/null || { echo "the training run exited; see $log" >&2; exit 1; }
  sleep 0.1
done

json='Content-Type: application/json'
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
post() { curl -sf -H "$json" "$@"; }
password='correct horse battery'
token=$(post -d "{\"name\":\"Training\",\"slug\":\"aot-training\",\"owner\":{\"username\":\"owner\",\"displayName\":\"Owner\",\"password\":\"$password\"}}" \
  "$base/api/v1/workspaces" | field accessToken)
auth="Authorization: Bearer $token"
channel=$(post -H "$auth" -d '{"name":"training"}' "$base/api/v1/channel-tokens" | field token)
post -o /dev/null -H "$auth" -d "{\"username\":\"agent\",\"displayName\":\"Agent\",\"password\":\"$password\",\"role\":\"AGENT\"}" "$base/api/v1/agents"
for i in $(seq 1 "${TRAINING_ROUNDS:-30}"); do
  post -o /dev/null -d "{\"workspace\":\"aot-training\",\"username\":\"owner\",\"password\":\"$password\"}" "$base/api/v1/auth/login"
  curl -sf -o /dev/null -H "$auth" "$base/api/v1/agents/me"
  curl -sf -o /dev/null -H "$auth" "$base/api/v1/agents"
  chat=$(post -H "Authorization: Bearer $channel" \
    -d "{\"externalId\":\"training-$i\",\"customer\":{\"phone\":\"+1555000$(printf %04d "$i")\"},\"text\":\"hello\",\"handoff\":true}" \
    "$base/api/v1/inbound/messages" | field chatId)
  curl -sf -o /dev/null -X POST -H "$auth" "$base/api/v1/chats/$chat/intervene"
  post -o /dev/null -H "$auth" -d '{"text":"hi"}' "$base/api/v1/chats/$chat/messages"
  post -o /dev/null -H "$auth" -d '{"text":"a note"}' "$base/api/v1/chats/$chat/notes"
  curl -sf -o /dev/null -H "$auth" "$base/api/v1/chats?limit=20"
  curl -sf -o /dev/null -H "$auth" "$base/api/v1/chats/$chat"
  curl -sf -o /dev/null -H "$auth" "$base/api/v1/chats/$chat/timeline"
  curl -s -o /dev/null "$base/api/v1/chats/$chat"   # 401 problem+json
done
curl -sf -o /dev/null "$ready"
[[ -z "${TOKEN_FILE:-}" ]] || printf '%s' "$token" >"$TOKEN_FILE"

kill -TERM "$pid"
wait "$pid" || true
[[ -s "$cache" ]] || { echo "no AOT cache was written; see $log" >&2; exit 1; }
