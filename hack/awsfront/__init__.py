"""The AWS front: moto served in-process behind WSGI middleware that names, counts and hooks every
request, gives RDS instances realistic state durations and, with --real-databases, a real MariaDB each.
Run with the moto venv's Python: PYTHONPATH=hack python -m awsfront --help
"""
