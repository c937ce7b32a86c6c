"""`python -m peel.database`: create the PostgreSQL database DATABASE_URL names if it does not exist yet,
so `DATABASE_URL=postgres://…/peel make run` works on a fresh server. SQLite needs nothing."""

import os
import sys

import dj_database_url


def database_ensure(url: str) -> str:
    """Create the database `url` names on its PostgreSQL server if missing; returns what was done."""
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        return "not PostgreSQL: nothing to create"
    import psycopg2
    from psycopg2 import sql

    name = config["NAME"]
    params = {"host": config.get("HOST") or None, "port": config.get("PORT") or None, "user": config.get("USER") or None}
    params["password"] = config.get("PASSWORD") or None
    connection = psycopg2.connect(dbname="postgres", connect_timeout=10, **{k: v for k, v in params.items() if v})
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return f"database {name!r} exists"
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return f"created database {name!r}"
    finally:
        connection.close()


if __name__ == "__main__":
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(0)
    try:
        print(f"peel.database: {database_ensure(url)}")
    except Exception as error:  # noqa: BLE001 - one line naming the problem, not a traceback
        sys.exit(f"peel.database: cannot reach or create the database of DATABASE_URL: {' '.join(str(error).split())}")
