#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 cluster (apt-get install postgresql) with its packaged settings
# (synchronous_commit on, shared_buffers 128MB, max_connections 100) and a password for the
# harness, then prints the -Dbench.args that point a workload at it, e.g.:
#   src/bench/debian-pg15.sh && ./mvnw -B -q -Pbench -Dbench.workload=delivery \
#       -Dbench.args="pg=external setup=api inboxAgents=4000 rates=500,700,1000" verify
# Each workload creates (and drops) its own bench_* database. Run as root.
set -euo pipefail
version=15
command -v pg_ctlcluster >/dev/null || { echo "Debian's postgresql-common is missing: apt-get install -y postgresql" >&2; exit 1; }
pg_lsclusters -h | grep -q "^$version main" || pg_createcluster $version main
pg_ctlcluster $version main status >/dev/null 2>&1 || pg_ctlcluster $version main start
su postgres -c "psql -qAtc \"alter user postgres password 'postgres'\""
port=$(pg_lsclusters -h | awk -v v=$version '$1 == v && $2 == "main" { print $3 }')
su postgres -c "psql -qAtc \"select version(), current_setting('synchronous_commit'), current_setting('shared_buffers')\""
echo "pg=external pgHost=127.0.0.1 pgPort=$port pgUser=postgres pgPassword=postgres"
