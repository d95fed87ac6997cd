"""The web database's schema history: Alembic migrations, applied by `Database` when the application starts."""
