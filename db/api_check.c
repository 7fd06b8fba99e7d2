/* The typed call behind `bazar check` (0012): every invariant of the
 * shop with the rows that break it. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api_internal.h"

static void build_check(struct db_request *req, void *ctx);
static bz_err check_fold(void *rows, size_t count, void *out, char *err, size_t errlen);

/* One row per offending row (or one with NULL for a clean invariant), in
 * the function's order: the JSON array is split on the server, so the
 * client never parses JSON. A non-array "offending" counts as one row. */
#define CHECK_SQL(call) \
	"SELECT i.check_name, i.ok, e.value::text" \
	" FROM " call " WITH ORDINALITY AS i (check_name, ok, offending, n)" \
	" LEFT JOIN LATERAL jsonb_array_elements(CASE" \
	"   WHEN i.offending IS NULL THEN '[]'::jsonb" \
	"   WHEN jsonb_typeof(i.offending) = 'array' THEN i.offending" \
	"   ELSE jsonb_build_array(i.offending) END) WITH ORDINALITY AS e (value, m) ON true" \
	" ORDER BY i.n, e.m"

static const char owner_sql[] = CHECK_SQL("bz_check_invariants()");
static const char staff_sql[] = CHECK_SQL("api_staff_check_invariants($1)");

struct check_row {
	char *name;
	bool ok;
	char *offending;
};
static const struct api_col check_cols[] = {
	API_COL(API_TEXT, struct check_row, name),
	API_COL(API_BOOL, struct check_row, ok),
	API_COL(API_TEXT_NULL, struct check_row, offending),
};
static const struct api_call owner_call = {
	.sql = owner_sql, API_CALL_COLS(check_cols), .shape = API_SHAPE_ROWS,
	.out_size = sizeof(struct db_invariants), .row_size = sizeof(struct check_row),
	.fold = check_fold, .replay_safe = true,
};
static const struct api_call staff_call = {
	.sql = staff_sql, API_CALL_COLS(check_cols), .shape = API_SHAPE_ROWS,
	.out_size = sizeof(struct db_invariants), .row_size = sizeof(struct check_row),
	.fold = check_fold, .replay_safe = true,
};

void
db_check_invariants_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	if (token == NULL)
		api_request(req, &owner_call, 0, NULL);
	else
		api_request(req, &staff_call, 1, params);
}

/* Group the rows by invariant, moving their strings into OUT. */
static bz_err
check_fold(void *rows_, size_t count, void *out_, char *err, size_t errlen)
{
	struct check_row *rows = rows_;
	struct db_invariants *out = out_;

	out->items = xcalloc(count + 1, sizeof *out->items);
	for (size_t i = 0; i < count; i++) {
		struct db_invariant *inv = out->count ? &out->items[out->count - 1] : NULL;

		/* Rows of one invariant are adjacent (ORDER BY its position). */
		if (inv == NULL || strcmp(inv->name, rows[i].name) != 0) {
			inv = &out->items[out->count++];
			inv->name = rows[i].name;
			inv->ok = rows[i].ok;
			inv->offending = xcalloc(count + 1, sizeof *inv->offending);
			rows[i].name = NULL;
			if (!inv->ok)
				out->failed++;
		}
		if (rows[i].offending != NULL) {
			inv->offending[inv->noffending++] = rows[i].offending;
			rows[i].offending = NULL;
		}
	}
	if (out->count == 0) {
		snprintf(err, errlen, "the server checked no invariants at all");
		db_invariants_free(out);
		return BZ_ERR_INTERNAL;
	}
	return BZ_OK;
}

bz_err
db_check_invariants_result(const struct db_request *req, struct db_invariants *out, char *err,
                           size_t errlen)
{
	return api_result(req, &owner_call, out, err, errlen);
}

/* Build the check; CTX is the token or NULL. */
static void
build_check(struct db_request *req, void *ctx)
{
	db_check_invariants_request(req, ctx);
}

bz_err
db_check_invariants(struct db_conn *conn, const char *token, struct db_invariants *out, char *err,
                    size_t errlen)
{
	return api_call(conn, token == NULL ? &owner_call : &staff_call, build_check,
	                (void *)(uintptr_t)token, out, err, errlen);
}

void
db_invariants_free(struct db_invariants *out)
{
	for (size_t i = 0; out->items && i < out->count; i++) {
		free(out->items[i].name);
		for (size_t j = 0; j < out->items[i].noffending; j++)
			free(out->items[i].offending[j]);
		free(out->items[i].offending);
	}
	free(out->items);
	memset(out, 0, sizeof *out);
}
