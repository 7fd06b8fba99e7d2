## tests/: Check unit suites, pgTAP files, shell tests; all speak TAP.
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
TEST_EXTENSIONS = .test
TEST_LOG_DRIVER = $(LOG_DRIVER)
TEST_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	BAZAR_SQL_DIR='$(abs_top_srcdir)/sql'; export BAZAR_SQL_DIR; \
	CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-60}; export CK_DEFAULT_TIMEOUT;

## pgTAP files run through tests/lib/run-pgtap on a fresh migrated database.
TEST_EXTENSIONS += .sql
SQL_LOG_DRIVER = $(LOG_DRIVER)
SQL_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/lib/run-pgtap

## Tiers. quick: unit + SQL. default (make check, .ci/run): quick + the
## shell tests. long: the same with bigger sizes (see README, "Tests").
quick_sql_tests = \
	tests/sql/constraints.sql \
	tests/sql/promo_usage.sql \
	tests/sql/claim_codes.sql \
	tests/sql/security.sql \
	tests/sql/catalog.sql \
	tests/sql/accounts.sql \
	tests/sql/cart.sql \
	tests/sql/promo_holds.sql \
	tests/sql/promo_cases.sql \
	tests/sql/checkout.sql \
	tests/sql/order_info.sql \
	tests/sql/staff.sql \
	tests/sql/staff_order_detail.sql \
	tests/sql/staff_order_history.sql \
	tests/sql/staff_locks.sql \
	tests/sql/staff_wallets.sql \
	tests/sql/staff_promos.sql \
	tests/sql/staff_health.sql \
	tests/sql/staff_import.sql \
	tests/sql/mail_worker.sql \
	tests/sql/mail_render.sql \
	tests/sql/invariants.sql
quick_unit_tests =
default_shell_tests = \
	tests/shell/cli.test \
	tests/shell/squawk.test \
	tests/shell/promo_cases_sync.test \
	tests/shell/seed_products.test \
	tests/shell/role_matrix.test \
	tests/shell/cluster_lifecycle.test \
	tests/shell/cluster_stale_pid.test \
	tests/shell/cluster_socket_in_use.test \
	tests/shell/cluster_not_writable.test \
	tests/shell/cluster_no_binaries.test \
	tests/shell/cluster_relocate.test \
	tests/shell/cluster_config.test \
	tests/shell/tui_catalog.test \
	tests/shell/tui_login.test \
	tests/shell/tui_cart.test \
	tests/shell/tui_orders.test \
	tests/shell/tui_checkout.test \
	tests/shell/tui_double_submit.test \
	tests/shell/tui_session.test \
	tests/shell/tui_screens.test \
	tests/shell/tui_bad_input.test \
	tests/shell/tui_valgrind.test \
	tests/shell/tui_cancel.test \
	tests/shell/console_orders.test \
	tests/shell/console_locks.test \
	tests/shell/console_wallets.test \
	tests/shell/console_customer_view.test \
	tests/shell/console_batch.test \
	tests/shell/console_phone.test \
	tests/shell/console_promos.test \
	tests/shell/console_health.test \
	tests/shell/console_outbox.test \
	tests/shell/import_codes.test \
	tests/shell/console_stock.test \
	tests/shell/console_race_lab.test \
	tests/shell/console_race_locks.test \
	tests/shell/schema_version.test \
	tests/shell/migrate_basic.test \
	tests/shell/migrate_tamper.test \
	tests/shell/migrate_concurrent.test \
	tests/shell/migrate_locked.test \
	tests/shell/migrate_backup.test \
	tests/shell/migrate_corrupted.test \
	tests/shell/storefront_refuses.test \
	tests/shell/fake_resend.test \
	tests/shell/mail_delivery.test \
	tests/shell/mail_cli.test

## Stops the shared test cluster; its log depends on every other test's
## log of this run (TEST_LOGS follows a TESTS override), so the parallel
## harness runs it last. GNU make's filter-out: see -Wno-portability.
stop_tests = tests/shell/zz_stop_cluster.test
$(stop_tests:.test=.log): $(filter-out $(stop_tests:.test=.log),$(TEST_LOGS))

## scripts/test runs the default tier's longest tests first: with one test
## per CPU, a long test started last keeps one CPU busy alone at the end
## (the attack suite, started last, left one CPU idle for 78 of the part's
## 363 s). TESTS keeps the plain list: automake reads it literally.
slow_shell_tests = tests/race/attack.test tests/shell/mail_delivery.test tests/shell/tui_login.test \
	tests/shell/tui_double_submit.test tests/shell/fault_immediate_stop.test \
	tests/shell/race_replay.test tests/shell/console_orders.test tests/shell/console_wallets.test
default_tier_ordered = $(foreach t,$(slow_shell_tests),$(filter $(t),$(default_shell_tests))) \
	$(filter-out $(slow_shell_tests),$(default_shell_tests))

TESTS += $(quick_unit_tests) $(quick_sql_tests) $(default_shell_tests) $(stop_tests)

EXTRA_DIST += tests/lib/tap.sh tests/lib/pg.sh tests/lib/shop.sh tests/lib/tmux.sh tests/lib/run-pgtap \
	$(quick_sql_tests) $(default_shell_tests) $(stop_tests) \
	tests/fixtures/corrupted_shop.sql tests/fixtures/repair_corrupted_shop.sql tests/lsan.supp tests/valgrind.supp \
	tests/fixtures/promo_cases.tsv \
	tests/mail/naive_claim.sql \
	tests/mail/fake_resend.py \
	.squawk.toml

## make check-quick / check-long: the other tiers.
check-quick:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS='$(quick_unit_tests) $(quick_sql_tests) $(stop_tests)'
check-long:
	$(MAKE) $(AM_MAKEFLAGS) check BAZAR_TEST_TIER=long

clean-local:
	-if test -x bazar && test -d tests/home/pg; then \
	  BAZAR_HOME='$(abs_top_builddir)/tests/home' ./bazar db stop >/dev/null 2>&1; fi
	-rm -rf tests/home tests/tmp tests/node_modules tests/package.json tests/package-lock.json

.PHONY: check-quick check-long

## --- Check unit suites (tests/unit/; owned with core/money, core/parse) ---
## One program per core/ module, each printing TAP through
## tests/unit/tap_main.c. They have no extension, so LOG_DRIVER runs them.
## Without Check, a stand-in test reports one named SKIP instead.
EXTRA_DIST += tests/unit/check-missing.test
if HAVE_CHECK
unit_check_programs = \
	tests/unit/check_error \
	tests/unit/check_money \
	tests/unit/check_parse \
	tests/unit/check_migration_name \
	tests/unit/check_uuid \
	tests/unit/check_retry \
	tests/unit/check_promo \
	tests/unit/check_validate \
	tests/unit/check_cart \
	tests/unit/check_checkout \
	tests/unit/check_submit_guard \
	tests/unit/check_proof \
	tests/unit/check_form \
	tests/unit/check_cart_view \
	tests/unit/check_promo_form \
	tests/unit/check_code_file \
	tests/unit/check_mail_policy \
	tests/unit/check_resend_json
check_PROGRAMS += $(unit_check_programs)
quick_unit_tests += $(unit_check_programs)
unit_check_cflags = $(AM_CFLAGS) $(CHECK_CFLAGS)
unit_check_ldadd = core/libcore.a $(CHECK_LIBS)
unit_check_runner = tests/unit/tap_main.c tests/unit/tap_main.h
tests_unit_check_error_SOURCES = tests/unit/check_error.c $(unit_check_runner)
tests_unit_check_error_CFLAGS = $(unit_check_cflags)
tests_unit_check_error_LDADD = $(unit_check_ldadd)
tests_unit_check_money_SOURCES = tests/unit/check_money.c $(unit_check_runner)
tests_unit_check_money_CFLAGS = $(unit_check_cflags)
tests_unit_check_money_LDADD = $(unit_check_ldadd)
tests_unit_check_parse_SOURCES = tests/unit/check_parse.c $(unit_check_runner)
tests_unit_check_parse_CFLAGS = $(unit_check_cflags)
tests_unit_check_parse_LDADD = $(unit_check_ldadd)
tests_unit_check_migration_name_SOURCES = tests/unit/check_migration_name.c $(unit_check_runner)
tests_unit_check_migration_name_CFLAGS = $(unit_check_cflags)
tests_unit_check_migration_name_LDADD = $(unit_check_ldadd)
tests_unit_check_uuid_SOURCES = tests/unit/check_uuid.c $(unit_check_runner)
tests_unit_check_uuid_CFLAGS = $(unit_check_cflags)
tests_unit_check_uuid_LDADD = $(unit_check_ldadd)
tests_unit_check_retry_SOURCES = tests/unit/check_retry.c $(unit_check_runner)
tests_unit_check_retry_CFLAGS = $(unit_check_cflags)
tests_unit_check_retry_LDADD = $(unit_check_ldadd)
tests_unit_check_promo_SOURCES = tests/unit/check_promo.c $(unit_check_runner)
tests_unit_check_promo_CFLAGS = $(unit_check_cflags)
tests_unit_check_promo_LDADD = $(unit_check_ldadd)
tests_unit_check_validate_SOURCES = tests/unit/check_validate.c $(unit_check_runner)
tests_unit_check_validate_CFLAGS = $(unit_check_cflags)
tests_unit_check_validate_LDADD = $(unit_check_ldadd)
tests_unit_check_cart_SOURCES = tests/unit/check_cart.c $(unit_check_runner)
tests_unit_check_cart_CFLAGS = $(unit_check_cflags)
tests_unit_check_cart_LDADD = $(unit_check_ldadd)
tests_unit_check_checkout_SOURCES = tests/unit/check_checkout.c $(unit_check_runner)
tests_unit_check_checkout_CFLAGS = $(unit_check_cflags)
tests_unit_check_checkout_LDADD = $(unit_check_ldadd)
tests_unit_check_submit_guard_SOURCES = tests/unit/check_submit_guard.c $(unit_check_runner)
tests_unit_check_submit_guard_CFLAGS = $(unit_check_cflags)
tests_unit_check_submit_guard_LDADD = $(unit_check_ldadd)
tests_unit_check_proof_SOURCES = tests/unit/check_proof.c $(unit_check_runner)
tests_unit_check_proof_CFLAGS = $(unit_check_cflags)
tests_unit_check_proof_LDADD = $(unit_check_ldadd)
tests_unit_check_form_SOURCES = tests/unit/check_form.c $(unit_check_runner)
tests_unit_check_form_CFLAGS = $(unit_check_cflags)
tests_unit_check_form_LDADD = $(unit_check_ldadd)
tests_unit_check_cart_view_SOURCES = tests/unit/check_cart_view.c $(unit_check_runner)
tests_unit_check_cart_view_CFLAGS = $(unit_check_cflags)
tests_unit_check_cart_view_LDADD = $(unit_check_ldadd)
tests_unit_check_promo_form_SOURCES = tests/unit/check_promo_form.c $(unit_check_runner)
tests_unit_check_promo_form_CFLAGS = $(unit_check_cflags)
tests_unit_check_promo_form_LDADD = $(unit_check_ldadd)
tests_unit_check_code_file_SOURCES = tests/unit/check_code_file.c $(unit_check_runner)
tests_unit_check_code_file_CFLAGS = $(unit_check_cflags)
tests_unit_check_code_file_LDADD = $(unit_check_ldadd)
tests_unit_check_mail_policy_SOURCES = tests/unit/check_mail_policy.c $(unit_check_runner)
tests_unit_check_mail_policy_CFLAGS = $(unit_check_cflags)
tests_unit_check_mail_policy_LDADD = $(unit_check_ldadd)
tests_unit_check_resend_json_SOURCES = tests/unit/check_resend_json.c $(unit_check_runner)
tests_unit_check_resend_json_CFLAGS = $(unit_check_cflags) $(CJSON_CFLAGS)
tests_unit_check_resend_json_LDADD = $(unit_check_ldadd) $(CJSON_LIBS)
else
quick_unit_tests += tests/unit/check-missing.test
endif
## --- end of the Check unit suites ---

## scripts/test asks for the tiers' test lists.
print-tier-quick:
	@echo $(quick_unit_tests) $(quick_sql_tests)
print-tier-default:
	@echo $(default_tier_ordered)
print-tier-stop:
	@echo $(stop_tests)
.PHONY: print-tier-quick print-tier-default print-tier-stop

## --- db/ request engine and typed API calls (helper D) ---
## C programs printing their own TAP, run by shell wrappers that give them
## a scratch database on the shared test cluster.
check_PROGRAMS += tests/db/check_db_request
tests_db_check_db_request_SOURCES = tests/db/check_db_request.c tests/db/db_tap.c tests/db/db_tap.h
tests_db_check_db_request_LDADD = db/libdb.a core/libcore.a $(LIBPQ_LIBS)
check_PROGRAMS += tests/db/check_db_api
tests_db_check_db_api_SOURCES = tests/db/check_db_api.c tests/db/db_tap.c tests/db/db_tap.h
tests_db_check_db_api_LDADD = db/libdb.a core/libcore.a $(LIBPQ_LIBS)
db_api_shell_tests = tests/shell/db_request.test tests/shell/db_api.test \
	tests/shell/bazar_check.test
default_shell_tests += $(db_api_shell_tests)
EXTRA_DIST += $(db_api_shell_tests)
## --- end of the db/ block ---

## --- The attack suite (tests/race/): a C program driving the shop through
## db/ and core/ from many threads at once, run by tests/race/attack.test.
## The engine is race/librace.a (race/race.h); this driver formats it as TAP.
check_PROGRAMS += tests/race/attack
tests_race_attack_SOURCES = tests/race/race_main.c
tests_race_attack_CFLAGS = $(AM_CFLAGS) -pthread
tests_race_attack_LDADD = race/librace.a db/libdb.a core/libcore.a $(LIBPQ_LIBS) -lpthread
race_tests = tests/race/attack.test
default_shell_tests += $(race_tests)
EXTRA_DIST += $(race_tests)
## bazar race, the race lab headless (cli/cmd_race.c).
race_cli_tests = tests/shell/race_cli.test
## bazar race --watch-locks (race/lock_watch.c).
race_cli_tests += tests/shell/race_locks.test
default_shell_tests += $(race_cli_tests)
EXTRA_DIST += $(race_cli_tests)
## Saved cases replayed as regression tests (bazar race --replay): drop a
## case file into tests/race/cases/ and race_replay.test replays it.
race_replay_tests = tests/shell/race_replay.test
default_shell_tests += $(race_replay_tests)
EXTRA_DIST += $(race_replay_tests) tests/race/cases/wallet_overspend.json tests/race/cases/double_submit.json
## --- end of the attack suite

## --- Fault tests on a private cluster (race/scenarios_fault.c):
## the server stopped -m immediate mid-burst; BAZAR_RACE_* validation.
fault_tests = tests/shell/fault_immediate_stop.test tests/shell/race_env.test
default_shell_tests += $(fault_tests)
EXTRA_DIST += tests/race/restart_immediate.sh $(fault_tests)
## --- end of the fault tests

## --- Benchmarks: they print tables and pass or fail nothing, so no tier
## runs them (README, "Benchmarks"); shipped for the tarball's readers.
EXTRA_DIST += scripts/bench-notify
EXTRA_DIST += scripts/bench-locks
EXTRA_DIST += scripts/bench-import
EXTRA_DIST += scripts/bench-lock-watch
## --- end of the benchmarks
