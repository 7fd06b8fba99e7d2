## db/: the only code that talks to libpq. A convenience library.
noinst_LIBRARIES += db/libdb.a
db_libdb_a_CFLAGS = $(AM_CFLAGS) $(LIBPQ_CFLAGS)
db_libdb_a_SOURCES = \
	db/db.h db/cluster.h db/catalog.h \
	db/db_internal.h db/db_error.c \
	db/conn.c db/schema_version.h \
	db/migrate.h db/migrate.c \
	db/migrate_state.h db/migrate_state.c \
	db/migration_files.c \
	db/checks.h db/checks.c \
	db/verify.c db/backup.c db/sql_file.c \
	db/catalog.c
# The private cluster (db/cluster.h).
db_libdb_a_SOURCES += db/cluster.c db/cluster_paths.c db/cluster_proc.c db/cluster_setup.c \
	db/cluster_status.c db/cluster_private.h
# The non-blocking request engine and the typed SQL API calls (db/api.h).
db_libdb_a_SOURCES += db/request.h db/request.c db/request_retry.c \
	db/api.h db/api_internal.h db/api_util.c \
	db/api_accounts.c db/api_cart.c db/api_catalog.c db/api_promo.c \
	db/api_checkout.c db/api_reads.c db/api_order_info.c db/api_staff.c db/api_check.c
# The console's Wallets screen (0016).
db_libdb_a_SOURCES += db/api_staff_wallets.c
db_libdb_a_SOURCES += db/api_staff_history.c
# The console's order detail and proofs (0015).
db_libdb_a_SOURCES += db/api_staff_detail.c
# The console's Locks screen (0014).
db_libdb_a_SOURCES += db/api_staff_locks.c
# The console's Promos screen (0019).
db_libdb_a_SOURCES += db/api_staff_promos.c
# The console's Outbox view (0021).
db_libdb_a_SOURCES += db/api_staff_outbox.c db/api_staff_outbox.h
# The mail worker (0021): claim, then record each outcome with its fencing token.
db_libdb_a_SOURCES += db/api_mail.c db/api_mail.h
# The clients' call timings and the console's Health screen (0017).
db_libdb_a_SOURCES += db/events.h db/events.c db/api_staff_health.c
db_libdb_a_SOURCES += db/seed.c db/seed.h
# The console's Inventory and bazar import-codes (0018).
db_libdb_a_SOURCES += db/api_staff_stock.c db/import_copy.c
# The race lab's marker check and naive control (race/).
db_libdb_a_SOURCES += db/lab.h db/lab.c
# The race lab's lock watcher's sample (race/lock_watch.c).
db_libdb_a_SOURCES += db/lab_locks.h db/lab_locks.c
