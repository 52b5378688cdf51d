"""The lightweight Core tables that listings read stay true to the models, column by column."""

from __future__ import annotations

import pytest
from sqlalchemy import TableClause

from broadcast.db import tables
from broadcast.db.models import Base

LIGHT = [tables.units, tables.stations]


@pytest.mark.parametrize("light", LIGHT, ids=lambda t: t.name)
def test_every_column_is_the_models_with_its_type(light: TableClause) -> None:
    model = Base.metadata.tables[light.name]
    for column in light.columns:
        assert column.name in model.columns, f"{light.name}.{column.name} is not in the model"
        assert isinstance(model.columns[column.name].type, type(column.type)), f"{light.name}.{column.name}"


def test_a_boolean_column_reads_back_as_a_boolean() -> None:
    # SQLite stores 0 and 1; only a typed column turns them back into False and True, as the ORM would.
    assert tables.stations.c.active.type.python_type is bool
