/* bazar check: the shop's invariants as a checklist, with the rows that
 * break each one. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/command.h"
#include "cli/db_session.h"
#include "db/api.h"

#define CHECK_OK   "\xe2\x9c\x93"  /* ✓ */
#define CHECK_FAIL "\xe2\x9c\x97"  /* ✗ */

static int cmd_check_run(int argc, char **argv);

const struct command cmd_check_entry = {
	.name = "check",
	.usage = "check",
	.summary = "check the shop's invariants: wallets, promos, codes, orders (\xe2\x9c\x93/\xe2\x9c\x97)",
	.help =
	"Runs bz_check_invariants() as the owner and prints one line per invariant:\n"
	"every wallet's balance equals the sum of its ledger, no negative balance,\n"
	"every promo's used_count equals its redemptions and never exceeds max_uses,\n"
	"no code on two orders, every fulfilled order holds exactly its codes, no\n"
	"code both available and assigned, every order's total equals its items\n"
	"minus its discount, and more (see docs/api.md). Under each broken one, the\n"
	"offending rows as JSON (the first 20, then how many more).\n"
	"Exits 1 when any line is \xe2\x9c\x97. Run it on a quiet shop: each invariant is\n"
	"one consistent snapshot, but two of them may see different moments.\n",
	.run = cmd_check_run,
};

static int
cmd_check_run(int argc, char **argv)
{
	struct db_session session;
	struct db_invariants inv;
	struct db_call_info info;
	char err[1024];
	bz_err rc;

	if (argc > 1)
		return command_usage_error(&cmd_check_entry, "unexpected argument '%s'", argv[1]);
	if (db_session_open(&session, "bazar check", err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		return EXIT_FAIL;
	}
	rc = db_check_invariants(session.conn, NULL, &inv, err, sizeof err);
	if (rc != BZ_OK) {
		db_last_call(session.conn, &info);
		if (strcmp(info.sqlstate, "42883") == 0)
			fprintf(stderr, "bazar: check: this database has no bz_check_invariants(): "
			        "run 'bazar migrate' first\n");
		else
			fprintf(stderr, "bazar: check: %s\n", err);
		db_session_close(&session);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < inv.count; i++) {
		printf("%s %s\n", inv.items[i].ok ? CHECK_OK : CHECK_FAIL, inv.items[i].name);
		for (size_t j = 0; !inv.items[i].ok && j < inv.items[i].noffending; j++)
			printf("    %s\n", inv.items[i].offending[j]);
	}
	printf("%zu of %zu invariants hold\n", inv.count - inv.failed, inv.count);
	fflush(stdout);
	rc = inv.failed ? BZ_ERR_CONSTRAINT : BZ_OK;
	if (inv.failed)
		fprintf(stderr, "bazar: check: %zu invariant%s broken\n", inv.failed,
		        inv.failed == 1 ? "" : "s");
	db_invariants_free(&inv);
	db_session_close(&session);
	return rc == BZ_OK ? EXIT_OK : EXIT_FAIL;
}
