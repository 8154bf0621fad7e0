#!/usr/bin/env bash
# Throwaway PostgreSQL 15 cluster for tests and CI.
#
#   bash scripts/pg-cluster.sh start   # prints DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres
#   bash scripts/pg-cluster.sh stop    # stops it and deletes its data
#   bash scripts/pg-cluster.sh status
#   bash scripts/pg-cluster.sh pause    # stops the server, keeps the data (fault tests)
#   bash scripts/pg-cluster.sh resume   # starts it again
#   bash scripts/pg-cluster.sh replica  # a streaming replica of it (pg_basebackup -R) on port+1;
#                                       # prints DATABASE_READ_URL=…; `stop` stops both
#   bash scripts/pg-cluster.sh replica-stop
#
# Port: $PGPORT (default 55432). State (data/socket dirs) is kept in $OA_PG_STATE
# (default /tmp/oa-pg-cluster-$PORT.env) so `stop` finds the cluster again.
# initdb refuses to run as root, so the server runs as the system user `postgres`
# (created when missing). Trust auth, fsync off, loopback only: never for real data.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PORT=${PGPORT:-55432}
STATE=${OA_PG_STATE:-/tmp/oa-pg-cluster-$PORT.env}

log() { echo "pg-cluster: $*" >&2; }

# Run a command as the postgres user (or directly when we already are that user).
as_pg() {
	if [ "$(id -un)" = postgres ]; then "$@"
	elif [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"
	else log "must run as root or as postgres"; exit 1
	fi
}

ensure_installed() {
	if [ ! -x "$PGBIN/postgres" ]; then
		log "installing postgresql-15 (apt)"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2
		apt-get install -y -qq postgresql-15 >&2
	fi
	if ! id -u postgres >/dev/null 2>&1; then
		log "creating system user postgres"
		useradd --system --create-home postgres
	fi
}

start() {
	if [ -f "$STATE" ]; then
		# shellcheck disable=SC1090
		. "$STATE"
		if as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
			log "already running (data $PGDATA_DIR)"
			echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
			return 0
		fi
		log "stale state file $STATE, starting afresh"
		rm -rf "$PGDATA_DIR" "$PGSOCK_DIR"
		rm -f "$STATE"
	fi
	ensure_installed
	local d s
	d=$(mktemp -d /tmp/oa-pg-data.XXXXXX)
	s=$(mktemp -d /tmp/oa-pg-sock.XXXXXX)
	chown postgres "$d" "$s"
	chmod 700 "$d"
	as_pg "$PGBIN/initdb" -D "$d" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$s/initdb.log" 2>&1 || {
		cat "$s/initdb.log" >&2; exit 1; }
	if ! as_pg "$PGBIN/pg_ctl" -D "$d" -l "$d/log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $PORT -k $s -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >&2; then
		log "start failed; server log follows"
		cat "$d/log" >&2 || true
		exit 1
	fi
	printf 'PGDATA_DIR=%q\nPGSOCK_DIR=%q\nPORT=%q\n' "$d" "$s" "$PORT" >"$STATE"
	log "started on 127.0.0.1:$PORT (data $d)"
	echo "DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
}

REPLICA_STATE=${STATE%.env}-replica.env

# A hot standby of the running cluster, streaming from it (read-replica tests, DATABASE_READ_URL).
replica() {
	[ -f "$STATE" ] || { log "start the cluster first"; exit 3; }
	# shellcheck disable=SC1090
	. "$STATE"
	local rport=${PGREPLICA_PORT:-$((PORT + 1))} rd
	if [ -f "$REPLICA_STATE" ]; then
		log "replica already started"
		echo "DATABASE_READ_URL=postgres://postgres@127.0.0.1:$rport/postgres"
		return 0
	fi
	rd=$(mktemp -d /tmp/oa-pg-replica.XXXXXX)
	chown postgres "$rd"
	chmod 700 "$rd"
	as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U postgres -D "$rd" -R -X stream --checkpoint=fast >&2
	if ! as_pg "$PGBIN/pg_ctl" -D "$rd" -l "$rd/log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $rport -k $PGSOCK_DIR -c hot_standby=on -c fsync=off" start >&2; then
		log "replica start failed; its log follows"
		cat "$rd/log" >&2 || true
		exit 1
	fi
	printf 'REPLICA_DIR=%q\nREPLICA_PORT=%q\n' "$rd" "$rport" >"$REPLICA_STATE"
	log "replica streaming on 127.0.0.1:$rport (data $rd)"
	echo "DATABASE_READ_URL=postgres://postgres@127.0.0.1:$rport/postgres"
}

stop_replica() {
	[ -f "$REPLICA_STATE" ] || return 0
	# shellcheck disable=SC1090
	. "$REPLICA_STATE"
	as_pg "$PGBIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w -t 30 stop >&2 || log "replica stop failed (already stopped?)"
	rm -rf "$REPLICA_DIR"
	rm -f "$REPLICA_STATE"
	log "replica stopped"
}

stop() {
	stop_replica
	if [ ! -f "$STATE" ]; then
		log "no cluster state at $STATE; nothing to stop"
		return 0
	fi
	# shellcheck disable=SC1090
	. "$STATE"
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >&2 || log "pg_ctl stop failed (already stopped?)"
	rm -rf "$PGDATA_DIR" "$PGSOCK_DIR"
	rm -f "$STATE"
	log "stopped"
}

# For fault tests: stop the server but keep its data (pause), and start it again (resume).
pause() {
	[ -f "$STATE" ] || { log "not started"; exit 3; }
	# shellcheck disable=SC1090
	. "$STATE"
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >&2
	log "paused (data kept in $PGDATA_DIR)"
}

resume() {
	[ -f "$STATE" ] || { log "not started"; exit 3; }
	# shellcheck disable=SC1090
	. "$STATE"
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGSOCK_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		start >&2
	log "resumed on 127.0.0.1:$PORT"
}

status() {
	[ -f "$STATE" ] || { log "not started"; exit 3; }
	# shellcheck disable=SC1090
	. "$STATE"
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" status
}

case "${1:-}" in
	start) start ;;
	stop) stop ;;
	status) status ;;
	pause) pause ;;
	resume) resume ;;
	replica) replica ;;
	replica-stop) stop_replica ;;
	*) echo "usage: $0 start|stop|status|pause|resume|replica|replica-stop" >&2; exit 2 ;;
esac
