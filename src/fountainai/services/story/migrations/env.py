from alembic import context

from fountainai.core.db.migrations import run_migrations
from fountainai.services.story.models import Base

run_migrations(context, Base.metadata)
