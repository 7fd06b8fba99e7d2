## cli/: the bazar program: subcommand dispatch, one file per command.
bin_PROGRAMS += bazar
bazar_SOURCES = \
	cli/main.c cli/command.h \
	cli/commands.c \
	cli/storefront.c cli/storefront.h \
	cli/db_session.c cli/db_session.h \
	cli/cmd_migrate.c cli/cmd_verify.c \
	cli/cmd_rollback.c cli/cmd_seed_demo.c
bazar_LDADD = tui/libtui.a db/libdb.a core/libcore.a \
	$(NCURSES_LIBS) $(LIBPQ_LIBS) $(LIBCURL_LIBS) $(CJSON_LIBS)
# bazar db and Bazar's log file.
bazar_SOURCES += cli/cmd_db.c cli/logfile.c cli/logfile.h
# bazar check: the shop's invariants.
bazar_SOURCES += cli/cmd_check.c
# bazar console: the staff's operator console.
bazar_SOURCES += cli/cmd_console.c
# bazar import-codes: a product's codes from a file, with COPY (0018).
bazar_SOURCES += cli/cmd_import_codes.c
# bazar race: the race lab's engine (race/) headless, a table or JSON (cJSON).
bazar_SOURCES += cli/cmd_race.c
# bazar race --save/--replay: saved failing rounds (race/case_file.h).
bazar_SOURCES += cli/race_case.c cli/race_case.h
# bazar race --watch-locks: the lock summary lines.
bazar_SOURCES += cli/race_locks.c cli/race_locks.h
bazar_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
bazar_CFLAGS = $(AM_CFLAGS) -pthread
bazar_LDADD += race/librace.a db/libdb.a core/libcore.a $(LIBPQ_LIBS) $(CJSON_LIBS) -lpthread
# bazar mail: the outbox's worker (mail/), libcurl and cJSON.
bazar_SOURCES += cli/cmd_mail.c
bazar_LDADD += mail/libmail.a db/libdb.a core/libcore.a $(LIBCURL_LIBS) $(CJSON_LIBS)
