## docs/: the man page (installed by make install) and the written docs.
dist_man1_MANS += docs/bazar.1
EXTRA_DIST += docs/architecture.md docs/migrations.md docs/api.md docs/race.md
