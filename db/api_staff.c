/* Typed calls for the operator console (0011, 0012): decisions on bank
 * transfers, top-ups, promos, code stock, order lists, customers, the
 * live feed. See db/api.h for which of them are replayed after a lost
 * connection (only those a repeat cannot make act twice). */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "db/api_internal.h"

/* The arguments of any staff call; each builder reads its own. */
struct staff_args {
	const char *token;
	const char *text1, *text2, *text3;
	int64_t num;
	int limit;
	bool flag;
	const struct db_promo_spec *spec;
	const char *const *codes;
	size_t count;
	void (*request)(struct db_request *req, const struct staff_args *a);
};

static void build_staff(struct db_request *req, void *ctx);
static bz_err staff_call(struct db_conn *conn, const struct api_call *call,
                         struct staff_args *args, void *out, char *err, size_t errlen);
static void decide_req(struct db_request *req, const struct staff_args *a);
static void topup_req(struct db_request *req, const struct staff_args *a);
static void promo_create_req(struct db_request *req, const struct staff_args *a);
static void set_active_req(struct db_request *req, const struct staff_args *a);
static void import_req(struct db_request *req, const struct staff_args *a);
static void void_req(struct db_request *req, const struct staff_args *a);
static void orders_req(struct db_request *req, const struct staff_args *a);
static void find_req(struct db_request *req, const struct staff_args *a);
static void codes_req(struct db_request *req, const struct staff_args *a);
static void expire_req(struct db_request *req, const struct staff_args *a);
static void changes_req(struct db_request *req, const struct staff_args *a);
static bz_err decide(struct db_conn *conn, const char *token, const char *order_id, bool approve,
                     const char *reason, struct db_decision *out, char *err, size_t errlen);
static bz_err decision_check(const struct db_request *req, void *out, char *err, size_t errlen);
static bz_err import_check(const struct db_request *req, void *out, char *err, size_t errlen);
static bz_err void_check(const struct db_request *req, void *out, char *err, size_t errlen);
static bz_err changes_fold(void *rows, size_t count, void *out, char *err, size_t errlen);

static const char approve_sql[] =
	"SELECT outcome, order_status, decided_by_email, " API_EPOCH_US("decided_at") ", "
	API_EPOCH_US("started_at") " FROM api_staff_approve($1, $2::uuid, $3)";
static const char reject_sql[] =
	"SELECT outcome, order_status, decided_by_email, " API_EPOCH_US("decided_at") ", "
	API_EPOCH_US("started_at") " FROM api_staff_reject($1, $2::uuid, $3)";
static const struct api_col decision_cols[] = {
	API_COL(API_TEXT, struct db_decision, outcome),
	API_COL(API_TEXT_NULL, struct db_decision, order_status),
	API_COL(API_TEXT_NULL, struct db_decision, decided_by_email),
	API_COL(API_INT64_NULL, struct db_decision, decided_us),
	API_COL(API_INT64, struct db_decision, started_us),
};
/* A repeat of a committed decision is answered "already decided". */
static const struct api_call approve_call = {
	.sql = approve_sql, API_CALL_COLS(decision_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_decision), .check = decision_check, .replay_safe = true,
};
static const struct api_call reject_call = {
	.sql = reject_sql, API_CALL_COLS(decision_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_decision), .check = decision_check, .replay_safe = true,
};

static const char topup_sql[] =
	"SELECT user_id, balance_cents, ledger_id, " API_EPOCH_US("started_at")
	" FROM api_staff_topup($1, $2, $3::bigint, $4)";
static const struct api_col topup_cols[] = {
	API_COL(API_UUID, struct db_topup, user_id),
	API_COL(API_INT64, struct db_topup, balance_cents),
	API_COL(API_UUID, struct db_topup, ledger_id),
	API_COL(API_INT64, struct db_topup, started_us),
};
static const struct api_call topup_call = {
	.sql = topup_sql, API_CALL_COLS(topup_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_topup),
};

static const char promo_create_sql[] =
	"SELECT promo_id, code, " API_EPOCH_US("started_at")
	" FROM api_staff_promo_create($1, $2, $3, $4::bigint, $5::bigint, $6::bigint, $7::bigint,"
	" CASE WHEN $8::bigint IS NULL THEN NULL ELSE " API_FROM_EPOCH_US("$8") " END,"
	" CASE WHEN $9::bigint IS NULL THEN NULL ELSE " API_FROM_EPOCH_US("$9") " END)";
static const struct api_col promo_created_cols[] = {
	API_COL(API_UUID, struct db_promo_created, promo_id),
	API_COL(API_TEXT, struct db_promo_created, code),
	API_COL(API_INT64, struct db_promo_created, started_us),
};
static const struct api_call promo_create_call = {
	.sql = promo_create_sql, API_CALL_COLS(promo_created_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct db_promo_created),
};

static const char set_active_sql[] =
	"SELECT promo_id, is_active FROM api_staff_promo_set_active($1, $2, $3::boolean)";
/* Setting a flag to a value twice is the same as once. */
static const struct api_call set_active_call = {
	.sql = set_active_sql, .ncols = 2, .shape = API_SHAPE_NONE, .replay_safe = true,
};

static const char import_sql[] =
	"SELECT code, result FROM api_staff_import_codes($1, $2::uuid, $3::text[])";
static const struct api_col import_cols[] = {
	API_COL(API_TEXT, struct db_import_line, code),
	API_COL(API_TEXT, struct db_import_line, result),
};
static const struct api_call import_call = {
	.sql = import_sql, API_CALL_COLS(import_cols), API_CALL_LIST(struct db_import, lines),
	.check = import_check,
};

static const char void_sql[] =
	"SELECT outcome, code_status FROM api_staff_void_code($1, $2::uuid, $3, $4)";
static const struct api_call void_call = {
	.sql = void_sql, .ncols = 2, .shape = API_SHAPE_NONE, .check = void_check,
};

static const char orders_sql[] =
	"SELECT order_id, change_seq, status, customer_email, payment_method, total_cents, items,"
	" proofs, " API_EPOCH_US("created_at") ", " API_EPOCH_US("expires_at") ", decided_by_email, "
	API_EPOCH_US("decided_at") ", decision_reason"
	" FROM api_staff_orders($1, $2, $3::integer, $4::bigint)";
static const struct api_col orders_cols[] = {
	API_COL(API_UUID, struct db_staff_order, order_id),
	API_COL(API_INT64_NULL, struct db_staff_order, change_seq),
	API_COL(API_TEXT, struct db_staff_order, status),
	API_COL(API_TEXT, struct db_staff_order, customer_email),
	API_COL(API_TEXT, struct db_staff_order, payment_method),
	API_COL(API_INT64, struct db_staff_order, total_cents),
	API_COL(API_INT64, struct db_staff_order, items),
	API_COL(API_INT64, struct db_staff_order, proofs),
	API_COL(API_INT64, struct db_staff_order, created_us),
	API_COL(API_INT64_NULL, struct db_staff_order, expires_us),
	API_COL(API_TEXT_NULL, struct db_staff_order, decided_by_email),
	API_COL(API_INT64_NULL, struct db_staff_order, decided_us),
	API_COL(API_TEXT_NULL, struct db_staff_order, decision_reason),
};
static const struct api_call orders_call = {
	.sql = orders_sql, API_CALL_COLS(orders_cols), API_CALL_LIST(struct db_staff_orders, items),
	.replay_safe = true,
};

static const char find_sql[] =
	"SELECT user_id, email, display_name, is_staff, balance_cents, orders, "
	API_EPOCH_US("created_at") " FROM api_staff_find_customer($1, $2)";
static const struct api_col find_cols[] = {
	API_COL(API_UUID, struct db_customer, user_id),
	API_COL(API_TEXT, struct db_customer, email),
	API_COL(API_TEXT_NULL, struct db_customer, display_name),
	API_COL(API_BOOL, struct db_customer, is_staff),
	API_COL(API_INT64, struct db_customer, balance_cents),
	API_COL(API_INT64, struct db_customer, orders),
	API_COL(API_INT64, struct db_customer, created_us),
};
static const struct api_call find_call = {
	.sql = find_sql, API_CALL_COLS(find_cols), API_CALL_LIST(struct db_customers, items),
	.replay_safe = true,
};

static const char codes_sql[] =
	"SELECT code_id, product_id, product_name, code, status"
	" FROM api_staff_order_codes($1, $2::uuid)";
static const struct api_col codes_cols[] = {
	API_COL(API_UUID, struct db_staff_code, code_id),
	API_COL(API_UUID, struct db_staff_code, product_id),
	API_COL(API_TEXT, struct db_staff_code, product_name),
	API_COL(API_TEXT, struct db_staff_code, code),
	API_COL(API_TEXT, struct db_staff_code, status),
};
/* A read (plus its audit row: a second reveal is audited twice, which
 * is true). */
static const struct api_call codes_call = {
	.sql = codes_sql, API_CALL_COLS(codes_cols), API_CALL_LIST(struct db_staff_codes, items),
	.replay_safe = true,
};

static const char expire_sql[] = "SELECT expired_orders FROM api_staff_expire_stale($1)";
static const struct api_col expire_cols[] = { { API_INT, 0, "expired_orders" } };
static const struct api_call expire_call = {
	.sql = expire_sql, API_CALL_COLS(expire_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(int), .replay_safe = true,
};

static const char changes_sql[] =
	"SELECT order_id, status, change_seq, " API_EPOCH_US("changed_at") ", next_after_seq"
	" FROM api_staff_order_changes($1, $2::bigint, $3::integer)";
/* A row as it comes: with nothing new, one row with only next_after_seq. */
struct change_row {
	struct db_order_change change;
	int64_t next_after;
};
static const struct api_col changes_cols[] = {
	API_COL(API_UUID_NULL, struct change_row, change.order_id),
	API_COL(API_TEXT_NULL, struct change_row, change.status),
	API_COL(API_INT64_NULL, struct change_row, change.change_seq),
	API_COL(API_INT64_NULL, struct change_row, change.changed_us),
	API_COL(API_INT64, struct change_row, next_after),
};
static const struct api_call changes_call = {
	.sql = changes_sql, API_CALL_COLS(changes_cols), .shape = API_SHAPE_ROWS,
	.out_size = sizeof(struct db_order_changes), .row_size = sizeof(struct change_row),
	.fold = changes_fold, .replay_safe = true,
};
static const struct api_col change_cols[] = {
	API_COL(API_TEXT_NULL, struct db_order_change, status),
};

/* Every staff call's builder: the args say which request to make. */
static void
build_staff(struct db_request *req, void *ctx)
{
	const struct staff_args *a = ctx;

	a->request(req, a);
}

/* Run a staff call blocking into OUT. */
static bz_err
staff_call(struct db_conn *conn, const struct api_call *call, struct staff_args *args, void *out,
           char *err, size_t errlen)
{
	return api_call(conn, call, build_staff, args, out, err, errlen);
}

void
db_staff_decide_request(struct db_request *req, const char *token, const char *order_id,
                        bool approve, const char *reason)
{
	const char *params[] = { token, order_id, api_opt(reason) };

	api_request(req, approve ? &approve_call : &reject_call, 3, params);
}

/* text1 = order id, text2 = reason, flag = approve. */
static void
decide_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_decide_request(req, a->token, a->text1, a->flag, a->text2);
}

/* Only "approved" and "rejected" are a decision made now. */
static bz_err
decision_check(const struct db_request *req, void *out_, char *err, size_t errlen)
{
	struct db_decision *out = out_;

	(void)req;
	if (strcmp(out->outcome, "approved") == 0 || strcmp(out->outcome, "rejected") == 0)
		return BZ_OK;
	if (strcmp(out->outcome, "expired") == 0) {
		snprintf(err, errlen, "This order expired before anyone decided it; its codes went back on sale.");
		return BZ_ERR_ALREADY_DECIDED;
	}
	if (strcmp(out->outcome, "already_decided") == 0) {
		snprintf(err, errlen, "This order was already decided (%s) by %s.",
		         out->order_status ? out->order_status : "?",
		         out->decided_by_email ? out->decided_by_email : "someone else");
		return BZ_ERR_ALREADY_DECIDED;
	}
	snprintf(err, errlen, "the server returned an unknown decision outcome (%.40s)", out->outcome);
	db_decision_free(out);
	return BZ_ERR_INTERNAL;
}

bz_err
db_staff_decide_result(const struct db_request *req, struct db_decision *out, char *err,
                       size_t errlen)
{
	return api_result(req, &approve_call, out, err, errlen);
}

/* Approve or reject, blocking. */
static bz_err
decide(struct db_conn *conn, const char *token, const char *order_id, bool approve,
       const char *reason, struct db_decision *out, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = order_id, .text2 = reason,
	                           .flag = approve, .request = decide_req };

	return staff_call(conn, approve ? &approve_call : &reject_call, &args, out, err, errlen);
}

bz_err
db_staff_approve(struct db_conn *conn, const char *token, const char *order_id, const char *reason,
                 struct db_decision *out, char *err, size_t errlen)
{
	return decide(conn, token, order_id, true, reason, out, err, errlen);
}

bz_err
db_staff_reject(struct db_conn *conn, const char *token, const char *order_id, const char *reason,
                struct db_decision *out, char *err, size_t errlen)
{
	return decide(conn, token, order_id, false, reason, out, err, errlen);
}

void
db_decision_free(struct db_decision *out)
{
	api_free(&approve_call, out);
}

void
db_staff_topup_request(struct db_request *req, const char *token, const char *user_email,
                       int64_t amount_cents, const char *reason)
{
	char amount[24];
	const char *params[] = { token, user_email, api_int64_param(amount, amount_cents), reason };

	api_request(req, &topup_call, 4, params);
}

/* text1 = e-mail, text2 = reason, num = amount. */
static void
topup_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_topup_request(req, a->token, a->text1, a->num, a->text2);
}

bz_err
db_staff_topup_result(const struct db_request *req, struct db_topup *out, char *err, size_t errlen)
{
	return api_result(req, &topup_call, out, err, errlen);
}

bz_err
db_staff_topup(struct db_conn *conn, const char *token, const char *user_email, int64_t amount_cents,
               const char *reason, struct db_topup *out, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = user_email, .text2 = reason,
	                           .num = amount_cents, .request = topup_req };

	return staff_call(conn, &topup_call, &args, out, err, errlen);
}

void
db_staff_promo_create_request(struct db_request *req, const char *token,
                              const struct db_promo_spec *spec)
{
	char value[24], min_order[24], max_uses[24], per_user[24], from[24], until[24];
	const char *params[] = {
		token, spec->code, spec->discount_type,
		api_int64_param(value, spec->discount_value),
		api_int64_param(min_order, spec->min_order_cents),
		spec->max_uses > 0 ? api_int64_param(max_uses, spec->max_uses) : NULL,
		spec->per_user_limit > 0 ? api_int64_param(per_user, spec->per_user_limit) : NULL,
		spec->valid_from_us ? api_int64_param(from, spec->valid_from_us) : NULL,
		spec->valid_until_us ? api_int64_param(until, spec->valid_until_us) : NULL,
	};

	api_request(req, &promo_create_call, 9, params);
}

/* spec. */
static void
promo_create_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_promo_create_request(req, a->token, a->spec);
}

bz_err
db_staff_promo_create_result(const struct db_request *req, struct db_promo_created *out,
                             char *err, size_t errlen)
{
	return api_result(req, &promo_create_call, out, err, errlen);
}

bz_err
db_staff_promo_create(struct db_conn *conn, const char *token, const struct db_promo_spec *spec,
                      struct db_promo_created *out, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .spec = spec, .request = promo_create_req };

	return staff_call(conn, &promo_create_call, &args, out, err, errlen);
}

void
db_promo_created_free(struct db_promo_created *out)
{
	api_free(&promo_create_call, out);
}

void
db_staff_promo_set_active_request(struct db_request *req, const char *token, const char *code,
                                  bool active)
{
	const char *params[] = { token, code, api_bool_param(active) };

	api_request(req, &set_active_call, 3, params);
}

/* text1 = code, flag = active. */
static void
set_active_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_promo_set_active_request(req, a->token, a->text1, a->flag);
}

bz_err
db_staff_promo_set_active_result(const struct db_request *req, char *err, size_t errlen)
{
	return api_result(req, &set_active_call, NULL, err, errlen);
}

bz_err
db_staff_promo_set_active(struct db_conn *conn, const char *token, const char *code, bool active,
                          char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = code, .flag = active,
	                           .request = set_active_req };

	return staff_call(conn, &set_active_call, &args, NULL, err, errlen);
}

void
db_staff_import_codes_request(struct db_request *req, const char *token, const char *product_id,
                              const char *const *codes, size_t count)
{
	char *array = db_text_array_literal(codes, count);
	const char *params[] = { token, product_id, array };

	api_request(req, &import_call, 3, params);
	free(array);
}

/* text1 = product id, codes/count. */
static void
import_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_import_codes_request(req, a->token, a->text1, a->codes, a->count);
}

/* Count the lines by result; an unknown result is a malformed answer. */
static bz_err
import_check(const struct db_request *req, void *out_, char *err, size_t errlen)
{
	struct db_import *out = out_;

	(void)req;
	for (size_t i = 0; i < out->count; i++) {
		const char *r = out->lines[i].result;

		if (strcmp(r, "imported") == 0) {
			out->imported++;
		} else if (strcmp(r, "duplicate") == 0) {
			out->duplicate++;
		} else if (strcmp(r, "invalid") == 0) {
			out->invalid++;
		} else {
			snprintf(err, errlen, "the server returned an unknown import result (%.40s)", r);
			db_import_free(out);
			return BZ_ERR_INTERNAL;
		}
	}
	return BZ_OK;
}

bz_err
db_staff_import_codes_result(const struct db_request *req, struct db_import *out, char *err,
                             size_t errlen)
{
	return api_result(req, &import_call, out, err, errlen);
}

bz_err
db_staff_import_codes(struct db_conn *conn, const char *token, const char *product_id,
                      const char *const *codes, size_t count, struct db_import *out,
                      char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = product_id, .codes = codes,
	                           .count = count, .request = import_req };
	bz_err rc = staff_call(conn, &import_call, &args, out, err, errlen);

	/* Every line must come back: nothing dropped on the way. */
	if (rc == BZ_OK && out->count != count) {
		snprintf(err, errlen, "sent %zu codes but the server reported %zu", count, out->count);
		db_import_free(out);
		rc = BZ_ERR_INTERNAL;
	}
	return rc;
}

void
db_import_free(struct db_import *out)
{
	api_free(&import_call, out);
}

void
db_staff_void_code_request(struct db_request *req, const char *token, const char *product_id,
                           const char *code, const char *reason)
{
	const char *params[] = { token, product_id, code, api_opt(reason) };

	api_request(req, &void_call, 4, params);
}

/* text1 = product id, text2 = code, text3 = reason. */
static void
void_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_void_code_request(req, a->token, a->text1, a->text2, a->text3);
}

/* Only "voided" is done; "not_available" says what the code is now. */
static bz_err
void_check(const struct db_request *req, void *out, char *err, size_t errlen)
{
	const char *outcome = db_request_value(req, 0, 0);
	const char *status = db_request_value(req, 0, 1);

	(void)out;
	if (outcome != NULL && strcmp(outcome, "voided") == 0)
		return BZ_OK;
	if (outcome != NULL && strcmp(outcome, "not_available") == 0) {
		snprintf(err, errlen, "This code is %s; only an available code can be voided.",
		         status ? status : "not available");
		return BZ_ERR_CONFLICT;
	}
	snprintf(err, errlen, "the server returned an unknown void outcome (%.40s)",
	         outcome ? outcome : "NULL");
	return BZ_ERR_INTERNAL;
}

bz_err
db_staff_void_code_result(const struct db_request *req, char *err, size_t errlen)
{
	return api_result(req, &void_call, NULL, err, errlen);
}

bz_err
db_staff_void_code(struct db_conn *conn, const char *token, const char *product_id,
                   const char *code, const char *reason, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = product_id, .text2 = code, .text3 = reason,
	                           .request = void_req };

	return staff_call(conn, &void_call, &args, NULL, err, errlen);
}

void
db_staff_orders_request(struct db_request *req, const char *token, const char *status, int limit,
                        int64_t after_seq)
{
	char limit_text[24], after[24];
	const char *params[] = { token, api_opt(status), api_int64_param(limit_text, limit),
	                         api_int64_param(after, after_seq) };

	api_request(req, &orders_call, 4, params);
}

/* text1 = status, limit, num = after. */
static void
orders_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_orders_request(req, a->token, a->text1, a->limit, a->num);
}

bz_err
db_staff_orders_result(const struct db_request *req, struct db_staff_orders *out, char *err,
                       size_t errlen)
{
	return api_result(req, &orders_call, out, err, errlen);
}

bz_err
db_staff_orders(struct db_conn *conn, const char *token, const char *status, int limit,
                int64_t after_seq, struct db_staff_orders *out, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = status, .limit = limit, .num = after_seq,
	                           .request = orders_req };

	return staff_call(conn, &orders_call, &args, out, err, errlen);
}

void
db_staff_orders_free(struct db_staff_orders *out)
{
	api_free(&orders_call, out);
}

void
db_staff_find_customer_request(struct db_request *req, const char *token, const char *query)
{
	const char *params[] = { token, query };

	api_request(req, &find_call, 2, params);
}

/* text1 = query. */
static void
find_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_find_customer_request(req, a->token, a->text1);
}

bz_err
db_staff_find_customer_result(const struct db_request *req, struct db_customers *out, char *err,
                              size_t errlen)
{
	return api_result(req, &find_call, out, err, errlen);
}

bz_err
db_staff_find_customer(struct db_conn *conn, const char *token, const char *query,
                       struct db_customers *out, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = query, .request = find_req };

	return staff_call(conn, &find_call, &args, out, err, errlen);
}

void
db_customers_free(struct db_customers *out)
{
	api_free(&find_call, out);
}

void
db_staff_order_codes_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, order_id };

	api_request(req, &codes_call, 2, params);
}

/* text1 = order id. */
static void
codes_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_order_codes_request(req, a->token, a->text1);
}

bz_err
db_staff_order_codes_result(const struct db_request *req, struct db_staff_codes *out, char *err,
                            size_t errlen)
{
	return api_result(req, &codes_call, out, err, errlen);
}

bz_err
db_staff_order_codes(struct db_conn *conn, const char *token, const char *order_id,
                     struct db_staff_codes *out, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .text1 = order_id, .request = codes_req };

	return staff_call(conn, &codes_call, &args, out, err, errlen);
}

void
db_staff_codes_free(struct db_staff_codes *out)
{
	api_free(&codes_call, out);
}

void
db_staff_expire_stale_request(struct db_request *req, const char *token)
{
	const char *params[] = { token };

	api_request(req, &expire_call, 1, params);
}

/* Nothing but the token. */
static void
expire_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_expire_stale_request(req, a->token);
}

bz_err
db_staff_expire_stale_result(const struct db_request *req, int *expired, char *err, size_t errlen)
{
	return api_result(req, &expire_call, expired, err, errlen);
}

bz_err
db_staff_expire_stale(struct db_conn *conn, const char *token, int *expired, char *err,
                      size_t errlen)
{
	struct staff_args args = { .token = token, .request = expire_req };

	return staff_call(conn, &expire_call, &args, expired, err, errlen);
}

void
db_staff_order_changes_request(struct db_request *req, const char *token, int64_t after, int limit)
{
	char after_text[24], limit_text[24];
	const char *params[] = { token, after >= 0 ? api_int64_param(after_text, after) : NULL,
	                         api_int64_param(limit_text, limit) };

	api_request(req, &changes_call, 3, params);
}

/* num = after, limit. */
static void
changes_req(struct db_request *req, const struct staff_args *a)
{
	db_staff_order_changes_request(req, a->token, a->num, a->limit);
}

/* One cursor for all rows; the lone row of an empty feed has no order. */
static bz_err
changes_fold(void *rows_, size_t count, void *out_, char *err, size_t errlen)
{
	struct change_row *rows = rows_;
	struct db_order_changes *out = out_;
	bz_err rc = BZ_OK;

	if (count == 0) {
		snprintf(err, errlen, "the server returned no feed cursor");
		rc = BZ_ERR_INTERNAL;
		goto out;
	}
	out->next_after = rows[0].next_after;
	out->items = xcalloc(count, sizeof *out->items);
	for (size_t i = 0; i < count; i++) {
		if (rows[i].next_after != out->next_after) {
			snprintf(err, errlen, "the server returned two feed cursors");
			rc = BZ_ERR_INTERNAL;
			goto out;
		}
		if (rows[i].change.order_id[0] == '\0') {
			if (count != 1) {
				snprintf(err, errlen, "the server returned a feed row without an order");
				rc = BZ_ERR_INTERNAL;
				goto out;
			}
			continue;
		}
		out->items[out->count++] = rows[i].change;
		rows[i].change.status = NULL;  /* moved */
	}
out:
	if (rc != BZ_OK)
		db_order_changes_free(out);
	return rc;
}

bz_err
db_staff_order_changes_result(const struct db_request *req, struct db_order_changes *out,
                              char *err, size_t errlen)
{
	return api_result(req, &changes_call, out, err, errlen);
}

bz_err
db_staff_order_changes(struct db_conn *conn, const char *token, int64_t after, int limit,
                       struct db_order_changes *out, char *err, size_t errlen)
{
	struct staff_args args = { .token = token, .num = after, .limit = limit,
	                           .request = changes_req };

	return staff_call(conn, &changes_call, &args, out, err, errlen);
}

void
db_order_changes_free(struct db_order_changes *out)
{
	api_free_rows(change_cols, API_NCOLS(change_cols), sizeof *out->items, out->items, out->count);
	memset(out, 0, sizeof *out);
}
