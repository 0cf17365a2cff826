#!/usr/bin/env bash
# The results schema is built by the migrations of sql/results/, applied in
# order, each once (docs/sql.md "What a run records"): a schema left at an
# older version by an older program is brought up to date by init-db and
# ends the same as a fresh one; the files run as written in psql give the
# same schema; a run refuses a schema out of date or newer than the program.
#   eval "$(scripts/pg.sh env var/pg-test)"; VR_TEST_BIN=build-asan/vocreport tests/integration_migrate.sh
. "$(dirname "$0")/lib.sh"

fresh_db migrate "$top/tests/fixtures/small.sql"
make_config "$scratch/fresh.ini" 's/^results_schema = .*/results_schema = vr_fresh/'
make_config "$scratch/old.ini" 's/^max_rejected_share = .*/max_rejected_share = 1/' \
    's/^results_schema = .*/results_schema = vr_old/'
make_config "$scratch/psql.ini" 's/^results_schema = .*/results_schema = vr_psql/'
latest=5 # migrations 1-5: outputs.md, tags, schedules, mail states, tag check

out=$("$bin" init-db --config "$scratch/fresh.ini" 2>&1)
expect_eq "init-db: exit status" "$?" 0
expect_eq "init-db: a new schema gets every migration" "$out" \
    "results schema \"vr_fresh\" migrated from version 0 to $latest"
expect_eq "init-db: one schema_version row per migration, in order" \
    "$(sql "SELECT string_agg(version::text, ',' ORDER BY version) FROM vr_fresh.schema_version")" \
    "1,2,3,4,5"
out=$("$bin" init-db --config "$scratch/fresh.ini" 2>&1)
expect_eq "init-db again: nothing to apply" "$out" "results schema \"vr_fresh\" is up to date (version $latest)"

# A schema an older program left at version 3, made by hand with psql from
# the files themselves (a reader sets :"res" with -v res=...).
psql_file() { PGOPTIONS='-c client_min_messages=warning' psql -XAtq -v ON_ERROR_STOP=1 -v res="$1" -f "$top/sql/results/$2" >/dev/null; }
psql_file vr_old migrate_start.sql || bad "psql: migrate_start.sql"
for f in migrate_001_tables.sql migrate_002_feedback_tags.sql migrate_003_schedules_delivery.sql; do
    psql_file vr_old "$f" || bad "psql: $f"
done
sql "INSERT INTO vr_old.schema_version (version) VALUES (1), (2), (3)"
# on_old COMMAND [ARGS]: a command on the old schema; out and status set.
on_old() { out=$("$bin" "$@" --config "$scratch/old.ini" 2>&1); status=$?; }
night=(run --job nightly --as-of 2026-10-01)
on_old "${night[@]}"
expect_eq "run on a schema at version 3: exit status" "$status" 4
expect_match "run on a schema at version 3: says so and what to do" "$out" \
    "results schema \"vr_old\" is out of date \(version 3 of $latest\): run \"vocreport init-db --config FILE\" first"
on_old init-db
expect_eq "init-db on version 3: exit status" "$status" 0
expect_eq "init-db on version 3: applies 4 and 5" "$out" \
    "results schema \"vr_old\" migrated from version 3 to $latest"
on_old "${night[@]}"
expect_eq "run after the upgrade: exit status" "$status" 0 || tail -5 <<<"$out"

# Every migration by psql, in file name order: the same schema again.
psql_file vr_psql migrate_start.sql || bad "psql: migrate_start.sql"
for f in "$top"/sql/results/migrate_[0-9]*.sql; do psql_file vr_psql "$(basename "$f")" || bad "psql: $f"; done

# The shape of a schema, its name taken out: tables and columns in order,
# constraints, indexes, triggers.
shape() {
    sql "SELECT 'column ' || table_name || '.' || column_name || ' ' || ordinal_position || ' '
                || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
           FROM information_schema.columns WHERE table_schema = '$1'
         UNION ALL
         SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
           FROM pg_constraint WHERE connamespace = '$1'::regnamespace
         UNION ALL
         SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = '$1'
         UNION ALL
         SELECT 'trigger ' || tgname || ' ' || pg_get_triggerdef(t.oid)
           FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE c.relnamespace = '$1'::regnamespace AND NOT t.tgisinternal
         UNION ALL
         SELECT 'function ' || pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = '$1'::regnamespace" |
        sed "s/\b$1\b/SCHEMA/g" | LC_ALL=C sort
}
shape vr_fresh >"$scratch/fresh.shape"
shape vr_old >"$scratch/old.shape"
shape vr_psql >"$scratch/psql.shape"
expect_eq "init-db: the tables of outputs.md, the tags and their check" \
    "$(sql "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables
             WHERE table_schema = 'vr_fresh'")" \
    "deliveries,experiment_assignments,feedback_check,feedback_tags,kpi_values,outputs,runs,schema_version"
expect_match "the shape names the tag check's trigger" "$(cat "$scratch/fresh.shape")" \
    '^trigger feedback_tags_changed CREATE TRIGGER feedback_tags_changed AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON SCHEMA\.feedback_tags FOR EACH STATEMENT'
if cmp -s "$scratch/fresh.shape" "$scratch/old.shape"; then ok; else
    bad "a schema upgraded from version 3 differs from a fresh one"; diff "$scratch/fresh.shape" "$scratch/old.shape" | head
fi
if cmp -s "$scratch/fresh.shape" "$scratch/psql.shape"; then ok; else
    bad "the migration files run by psql give another schema"; diff "$scratch/fresh.shape" "$scratch/psql.shape" | head
fi

# A schema a newer program migrated.
sql "INSERT INTO vr_old.schema_version (version) VALUES ($((latest + 1)))"
on_old "${night[@]}"
expect_eq "run on a newer schema: exit status" "$status" 4
expect_match "run on a newer schema: says so" "$out" \
    "results schema \"vr_old\" is at version $((latest + 1)), newer than this program \($latest\)"
on_old init-db
expect_eq "init-db on a newer schema: exit status" "$status" 4
expect_match "init-db on a newer schema: says what to do" "$out" \
    "results schema is at version $((latest + 1)), newer than this program \($latest\): upgrade vocreport"
expect_eq "init-db on a newer schema: nothing applied" \
    "$(sql "SELECT count(*) FROM vr_old.schema_version")" "$((latest + 1))"
finish
