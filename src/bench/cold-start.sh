#!/usr/bin/env bash
# Cold start of the packaged service: process start -> first successful AUTHENTICATED request
# (GET /api/v1/agents/me with a bearer token), side by side for
#   fast-jar-jdk17   the plain fast-jar on JDK 17
#   fast-jar-jdk25   the same fast-jar on JDK 25
#   aot-jdk25        the aot-jar packaging on JDK 25 with an AOT cache (JEP 483/514/515) from a training run
# against a local PostgreSQL (Debian's PostgreSQL 15 cluster, started here), with the image's JVM
# options (JAVA_TOOL_OPTIONS from Dockerfile.jvm) and BATON_MIGRATE_AT_START=false, as the pods run,
# for all three variants. The cache comes from src/main/docker/aot-training.sh, as in the image.
# Prints each timing, the RSS at that moment, and the ratios. Needs root (to start the cluster),
# curl, openssl; installs hyperfine with apt-get when missing.
#
#   src/bench/cold-start.sh            # RUNS=10 per variant
#   RUNS=20 JDK17=/path JDK25=/path src/bench/cold-start.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
RUNS=${RUNS:-10}
# A port nothing listens on (shared machines run other services).
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 20000 ))
    ss -ltn "sport = :$port" | grep -q LISTEN || { echo "$port"; return; }
  done
}
PORT=${PORT:-$(free_port)}
export PORT
WORK=${WORK:-$PWD/target/cold-start}
DB=baton_bench
BASE=http://127.0.0.1:$PORT

export QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:5432/$DB
export QUARKUS_DATASOURCE_USERNAME=postgres
export QUARKUS_DATASOURCE_PASSWORD=postgres
export QUARKUS_HTTP_PORT=$PORT
# Health lives on the management interface (aot-training.sh polls it there).
export QUARKUS_MANAGEMENT_PORT=${MANAGEMENT_PORT:-$(free_port)}
export BATON_SIGNUP_ENABLED=true
# As in the pods: the migrations are applied before (here by the training run, there by the Job).
export BATON_MIGRATE_AT_START=false
export BATON_PASSWORD_ITERATIONS=1000
# The image's JVM options (Dockerfile.jvm), for every variant and the training run.
JAVA_TOOL_OPTIONS=$(sed -n 's/^ENV JAVA_TOOL_OPTIONS="\(.*\)"$/\1/p' src/main/docker/Dockerfile.jvm)
export JAVA_TOOL_OPTIONS
export BATON_JWT_PRIVATE_KEY_LOCATION=$WORK/jwt/private.pem
export BATON_JWT_PUBLIC_KEY_LOCATION=$WORK/jwt/public.pem
export BATON_SECRETS_KEY_LOCATION=$WORK/jwt/secrets.key

command_for() {
  case "$1" in
    fast-jar-jdk17) echo "$JDK17/bin/java -jar $WORK/fast-jar/quarkus-run.jar" ;;
    fast-jar-jdk25) echo "$JDK25/bin/java -jar $WORK/fast-jar/quarkus-run.jar" ;;
    # As Dockerfile.jvm's ENTRYPOINT.
    aot-jdk25)      echo "$JDK25/bin/java -XX:AOTCache=$WORK/aot-jar/app.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining -jar $WORK/aot-jar/quarkus-run.jar" ;;
    *) echo "unknown variant $1" >&2; exit 2 ;;
  esac
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Polls GET /api/v1/agents/me until it answers 200, without forking: a process per attempt (curl)
# would take CPU from the starting JVM on a small machine (seen here: ~150 ms on 2 cores).
await_authenticated() {
  local token=$1 pid=$2 status
  [[ -p $WORK/idle ]] || mkfifo "$WORK/idle"
  exec 9<>"$WORK/idle"   # a FIFO nobody writes to: `read -t` on it sleeps without a fork
  while :; do
    if { exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null; then
      printf 'GET /api/v1/agents/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n' "$token" >&3
      IFS= read -r status <&3 || status=
      exec 3<&-
      [[ $status == "HTTP/1.1 200"* ]] && return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    read -r -t 0.002 -u 9 _ || true
  done
}

# One cold start: launch, poll the authenticated endpoint, record elapsed ms and RSS, kill.
once() {
  local variant=$1 token start pid rss elapsed
  token=$(cat "$WORK/token")
  if curl -s -o /dev/null "$BASE/"; then echo "port $PORT is taken" >&2; exit 1; fi
  start=$(now_ms)
  $(command_for "$variant") >"$WORK/$variant.log" 2>&1 &
  pid=$!
  await_authenticated "$token" "$pid" || { echo "$variant exited; see $WORK/$variant.log" >&2; exit 1; }
  elapsed=$(( $(now_ms) - start ))
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  echo "$elapsed $rss" >>"$WORK/$variant.samples"
}

if [[ "${1:-}" == "--once" ]]; then
  once "$2"
  exit 0
fi

command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
rm -rf "$WORK" && mkdir -p "$WORK/jwt"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/jwt/private.pem" 2>/dev/null
openssl pkey -in "$WORK/jwt/private.pem" -pubout -out "$WORK/jwt/public.pem"
openssl rand -base64 32 > "$WORK/jwt/secrets.key"

echo "== PostgreSQL 15 on 127.0.0.1:5432, fresh database $DB"
pg_ctlcluster 15 main start 2>/dev/null || true
runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'" >/dev/null
runuser -u postgres -- psql -q -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null

echo "== Building the fast-jar (JDK 17) and the aot-jar (JDK 25)"
./mvnw -B -q -ntp package -DskipTests
cp -r target/quarkus-app "$WORK/fast-jar"
JAVA_HOME=$JDK25 ./mvnw -B -q -ntp package -DskipTests -Dquarkus.package.jar.aot.enabled=true
cp -r target/quarkus-app "$WORK/aot-jar"
rm -f "$WORK"/aot-jar/*.jsa

if curl -s -o /dev/null "$BASE/"; then echo "port $PORT is taken" >&2; exit 1; fi
echo "== Training run on JDK 25 (src/main/docker/aot-training.sh, as in Dockerfile.jvm)"
JAVA=$JDK25/bin/java TOKEN_FILE=$WORK/token TRAINING_LOG=$WORK/training.log \
  src/main/docker/aot-training.sh "$WORK/aot-jar" "$WORK/aot-jar/app.aot"
echo "AOT cache: $(du -h "$WORK/aot-jar/app.aot" | cut -f1)"

echo "== Measuring, $RUNS runs each (+1 warm-up)"
variants=(fast-jar-jdk17 fast-jar-jdk25 aot-jdk25)
args=()
for v in "${variants[@]}"; do args+=(-n "$v" "$0 --once $v"); done
hyperfine -N --runs "$RUNS" --warmup 1 --export-csv "$WORK/hyperfine.csv" "${args[@]}" >"$WORK/hyperfine.txt"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo
echo "== $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
printf '%-16s %22s %14s\n' variant "start->auth 200 (ms)" "RSS (MiB)"
declare -A ms
for v in "${variants[@]}"; do
  tail -n "$RUNS" "$WORK/$v.samples" >"$WORK/$v.measured"
  ms[$v]=$(cut -d' ' -f1 "$WORK/$v.measured" | median)
  rss=$(cut -d' ' -f2 "$WORK/$v.measured" | median)
  printf '%-16s %22s %14s\n' "$v" "${ms[$v]} (median)" "$(( ${rss%.*} / 1024 ))"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "fast-jar JDK 17 / AOT JDK 25 = $(ratio "${ms[fast-jar-jdk17]}" "${ms[aot-jdk25]}")x"
echo "fast-jar JDK 25 / AOT JDK 25 = $(ratio "${ms[fast-jar-jdk25]}" "${ms[aot-jdk25]}")x"
echo
echo "hyperfine (whole measurement command, including launch and kill):"
cat "$WORK/hyperfine.txt"
