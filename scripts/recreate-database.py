"""Drop and create a scratch database on the local PostgreSQL (CI's fuzzing run)."""

import sys

import psycopg
from psycopg import sql

name = sys.argv[1]
with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
    db.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
    db.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
