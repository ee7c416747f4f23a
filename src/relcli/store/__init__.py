"""Everything that speaks SQL: the checked file, migrations, and one module per noun."""
