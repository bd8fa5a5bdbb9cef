# A local PostgreSQL server for the test suite and the benchmark, sourced by scripts/test
# and bench/run (bash). `ensure_local_server` installs Debian's `postgresql` package when it
# is missing, creates and starts a cluster as needed and a role and database
# `observatory_test` (password `observatory_test`) that may create databases, then exports
# OBSERVATORY_TEST_POSTGRES_URL. Idempotent, and quick when everything is already in place.
# Set SCRIPT_NAME to prefix messages.

readonly ROLE=observatory_test
readonly PASSWORD=observatory_test
readonly DATABASE=observatory_test
readonly READY_TIMEOUT=60

say() { printf '%s: %s\n' "${SCRIPT_NAME:-postgres}" "$*" >&2; }
die() { say "$*"; exit 1; }

is_root() { [[ $(id -u) -eq 0 ]]; }

# Runs a command as root (directly, or through non-interactive sudo).
can_be_root() { is_root || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }; }
as_root() {
  if is_root; then "$@"; else sudo -n "$@"; fi
}

# Runs a command as the `postgres` OS user (peer authentication on the socket).
as_postgres() {
  if [[ $(id -un) == postgres ]]; then
    (cd / && "$@")
  elif is_root && command -v runuser >/dev/null 2>&1; then
    (cd / && runuser -u postgres -- "$@")
  elif is_root; then
    (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
  else
    (cd / && sudo -n -u postgres -- "$@")
  fi
}

# Newest PostgreSQL major version whose server binaries are installed, or nothing.
installed_server_version() {
  local dir best=""
  for dir in /usr/lib/postgresql/*/bin/postgres; do
    [[ -x $dir ]] || continue
    dir=${dir#/usr/lib/postgresql/}
    dir=${dir%%/*}
    if [[ -z $best ]] || (( ${dir%%.*} > ${best%%.*} )); then best=$dir; fi
  done
  printf '%s' "$best"
}

install_postgres() {
  if ! command -v apt-get >/dev/null 2>&1 || ! can_be_root; then
    die "No PostgreSQL server found: install Debian's 'postgresql' package (apt-get install postgresql) or set OBSERVATORY_TEST_POSTGRES_URL=postgres://USER:PASSWORD@HOST:PORT/DB to a server where USER may create databases."
  fi
  say "installing PostgreSQL (apt-get install postgresql)..."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
    || die "apt-get update failed; install Debian's 'postgresql' package or set OBSERVATORY_TEST_POSTGRES_URL."
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
    || die "apt-get install postgresql failed; install it by hand or set OBSERVATORY_TEST_POSTGRES_URL."
}

# Prints "<cluster> <port> <status>" of the version's cluster (prefers `main`).
cluster_info() {
  pg_lsclusters -h 2>/dev/null | awk -v v="$1" '
    $1 == v { if ($2 == "main") { print $2, $3, $4; found = 1; exit } else if (!first) first = $2 " " $3 " " $4 }
    END { if (!found && first) print first }'
}

psql_admin() {
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres "$@"
}

ensure_local_server() {
  local version cluster status info
  version=$(installed_server_version)
  if [[ -z $version ]] || ! command -v pg_ctlcluster >/dev/null 2>&1; then
    install_postgres
    version=$(installed_server_version)
    [[ -n $version ]] || die "PostgreSQL was installed but no server binary was found under /usr/lib/postgresql/*/bin."
  fi

  info=$(cluster_info "$version")
  if [[ -z $info ]]; then
    can_be_root || die "No PostgreSQL $version cluster exists and this user cannot create one: run 'pg_createcluster $version main --start' as root, or set OBSERVATORY_TEST_POSTGRES_URL."
    say "creating PostgreSQL $version cluster 'main'..."
    as_root pg_createcluster "$version" main >&2
    info=$(cluster_info "$version")
    [[ -n $info ]] || die "pg_createcluster $version main did not create a cluster."
  fi
  read -r cluster PORT status <<<"$info"

  if [[ $status != online* ]]; then
    say "starting PostgreSQL $version cluster '$cluster'..."
    if can_be_root; then
      as_root pg_ctlcluster "$version" "$cluster" start >&2
    else
      as_postgres pg_ctlcluster "$version" "$cluster" start >&2
    fi || die "Could not start the cluster: see 'pg_ctlcluster $version $cluster start' and /var/log/postgresql/postgresql-$version-$cluster.log."
  fi

  local pg_isready=/usr/lib/postgresql/$version/bin/pg_isready waited=0
  [[ -x $pg_isready ]] || pg_isready=pg_isready
  until "$pg_isready" -q -h 127.0.0.1 -p "$PORT"; do
    (( waited < READY_TIMEOUT * 4 )) \
      || die "PostgreSQL $version on 127.0.0.1:$PORT did not become ready within ${READY_TIMEOUT}s; see /var/log/postgresql/postgresql-$version-$cluster.log."
    sleep 0.25
    waited=$((waited + 1))
  done

  export OBSERVATORY_TEST_POSTGRES_URL="postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
  # Already set up (the role logs in, may create databases, owns the database)?
  if [[ $(psql "$OBSERVATORY_TEST_POSTGRES_URL" -X -tA -c \
      "SELECT r.rolcreatedb AND d.datdba = r.oid FROM pg_roles r, pg_database d WHERE r.rolname = current_user AND d.datname = current_database()" \
      2>/dev/null) != t ]]; then
    setup_role_and_database "$version"
  fi
  say "PostgreSQL $version ready on port $PORT"
}

# Role and database, created only when missing (the role's attributes and
# password are re-asserted, which repairs a half-set-up machine).
setup_role_and_database() {
  if ! [[ $(id -un) == postgres ]] && ! is_root && ! sudo -n -u postgres true 2>/dev/null; then
    die "Cannot act as the 'postgres' user to create the test role: run 'sudo -u postgres createuser --createdb --pwprompt $ROLE && sudo -u postgres createdb -O $ROLE $DATABASE' (password $PASSWORD), or set OBSERVATORY_TEST_POSTGRES_URL."
  fi
  say "creating role and database $DATABASE in PostgreSQL $1..."
  psql_admin <<SQL
SELECT format('CREATE ROLE %I', '$ROLE')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$ROLE') \gexec
ALTER ROLE "$ROLE" WITH LOGIN CREATEDB PASSWORD '$PASSWORD';
SELECT format('CREATE DATABASE %I OWNER %I', '$DATABASE', '$ROLE')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$DATABASE') \gexec
SQL
  [[ $(psql_admin -tA -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$DATABASE'") == "$ROLE" ]] \
    || psql_admin -c "ALTER DATABASE \"$DATABASE\" OWNER TO \"$ROLE\""
}

# Drops `obs_test_*` databases left by a crashed run. Only databases owned by
# the test role are touched, and one still in use (a concurrent run) is skipped.
drop_leftover_databases() {
  if ! command -v psql >/dev/null 2>&1; then
    say "psql not found; not looking for left-over obs_test_* databases"
    return 0
  fi
  local names name dropped=0
  names=$(psql "$OBSERVATORY_TEST_POSTGRES_URL" -X -tA -v ON_ERROR_STOP=1 -c \
    "SELECT datname FROM pg_database WHERE datname LIKE 'obs\_test\_%' AND datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)") \
    || die "Cannot connect to OBSERVATORY_TEST_POSTGRES_URL (...@${OBSERVATORY_TEST_POSTGRES_URL#*@}): check that the server runs and the credentials are right."
  while IFS= read -r name; do
    [[ -n $name ]] || continue
    if psql "$OBSERVATORY_TEST_POSTGRES_URL" -X -q -c "DROP DATABASE IF EXISTS \"$name\"" 2>/dev/null; then
      dropped=$((dropped + 1))
    else
      say "left-over database $name is in use; left alone"
    fi
  done <<<"$names"
  (( dropped == 0 )) || say "dropped $dropped left-over obs_test_* database(s)"
}
