from alembic import context

from fountainai.core.db.migrations import run_migrations
from fountainai.services.characters.models import Base

run_migrations(context, Base.metadata)
