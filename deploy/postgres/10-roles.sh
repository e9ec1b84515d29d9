#!/bin/sh
# Runs once, when the PostgreSQL container initialises its data directory (docker-entrypoint-initdb.d).
# Two roles (README "Database roles"): collections_owner owns the schema and runs migrations;
# collections_app is what web, worker and beat connect as. It owns nothing; its table privileges are
# granted after each migration by `manage.py db_app_role` (the compose `migrate` service).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE collections_owner LOGIN PASSWORD '${OWNER_DB_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE collections_app LOGIN PASSWORD '${APP_DB_PASSWORD}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
ALTER DATABASE "$POSTGRES_DB" OWNER TO collections_owner;
ALTER SCHEMA public OWNER TO collections_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE "$POSTGRES_DB" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE "$POSTGRES_DB" TO collections_app;
GRANT USAGE ON SCHEMA public TO collections_app;
SQL
