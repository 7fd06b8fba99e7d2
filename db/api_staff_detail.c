/* Typed calls for the console's order detail (0015): one order's head
 * and items, its transfer proofs, one proof's picture (audited on the
 * server), and the payment references of a list of orders. All reads:
 * safe to run again. See db/api.h. */
#include "config.h"
#include "db/api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry.h"
#include "core/xalloc.h"
#include "db/api_internal.h"

/* The arguments of any of these calls; each builder reads its own. */
struct detail_args {
	const char *token;
	const char *id;
	const char *const *ids;
	size_t count;
	void (*request)(struct db_request *req, const struct detail_args *a);
};

static void build_detail(struct db_request *req, void *ctx);
static void detail_req(struct db_request *req, const struct detail_args *a);
static void proofs_req(struct db_request *req, const struct detail_args *a);
static void image_req(struct db_request *req, const struct detail_args *a);
static void refs_req(struct db_request *req, const struct detail_args *a);
static bz_err detail_fold(void *rows, size_t count, void *out, char *err, size_t errlen);
static int hex_value(char c);
static bz_err hex_decode(const char *hex, unsigned char **data, size_t *len, char *err,
                         size_t errlen);

static const char detail_sql[] =
	"SELECT order_id, status, payment_method, customer_email, subtotal_cents, discount_cents,"
	" total_cents, promo_code, payment_reference, " API_EPOCH_US("created_at") ", "
	API_EPOCH_US("expires_at") ", decided_by_email, " API_EPOCH_US("decided_at") ","
	" decision_reason, placed_by_email, proofs, change_seq, product_id, product_name, quantity,"
	" unit_price_cents, line_total_cents FROM api_staff_order_detail($1, $2::uuid)";

/* A row as it comes: the head, repeated, beside one item (NULL for an
 * order without items). */
struct detail_row {
	struct db_staff_order_detail head;
	struct db_order_item item;
};
static const struct api_col detail_cols[] = {
	API_COL(API_UUID, struct detail_row, head.order_id),
	API_COL(API_TEXT, struct detail_row, head.status),
	API_COL(API_TEXT, struct detail_row, head.payment_method),
	API_COL(API_TEXT, struct detail_row, head.customer_email),
	API_COL(API_INT64, struct detail_row, head.subtotal_cents),
	API_COL(API_INT64, struct detail_row, head.discount_cents),
	API_COL(API_INT64, struct detail_row, head.total_cents),
	API_COL(API_TEXT_NULL, struct detail_row, head.promo_code),
	API_COL(API_TEXT, struct detail_row, head.payment_reference),
	API_COL(API_INT64, struct detail_row, head.created_us),
	API_COL(API_INT64_NULL, struct detail_row, head.expires_us),
	API_COL(API_TEXT_NULL, struct detail_row, head.decided_by_email),
	API_COL(API_INT64_NULL, struct detail_row, head.decided_us),
	API_COL(API_TEXT_NULL, struct detail_row, head.decision_reason),
	API_COL(API_TEXT_NULL, struct detail_row, head.placed_by_email),
	API_COL(API_INT64, struct detail_row, head.proofs),
	API_COL(API_INT64_NULL, struct detail_row, head.change_seq),
	API_COL(API_UUID_NULL, struct detail_row, item.product_id),
	API_COL(API_TEXT_NULL, struct detail_row, item.product_name),
	API_COL(API_INT64_NULL, struct detail_row, item.quantity),
	API_COL(API_INT64_NULL, struct detail_row, item.unit_price_cents),
	API_COL(API_INT64_NULL, struct detail_row, item.line_total_cents),
};
static const struct api_call detail_call = {
	.sql = detail_sql, API_CALL_COLS(detail_cols), .shape = API_SHAPE_ROWS,
	.out_size = sizeof(struct db_staff_order_detail), .row_size = sizeof(struct detail_row),
	.fold = detail_fold, .replay_safe = true,
};
/* What the folded head owns (the first 17 columns, at the same offsets:
 * head is the row's first member). */
#define DETAIL_HEAD_COLS 17
static const struct api_col item_cols[] = {
	API_COL(API_TEXT, struct db_order_item, product_name),
};

static const char proofs_sql[] =
	"SELECT proof_id, reference, file_name, content_type, size_bytes, sha256, "
	API_EPOCH_US("created_at") " FROM api_staff_order_proofs($1, $2::uuid)";
static const struct api_col proof_cols[] = {
	API_COL(API_UUID, struct db_staff_proof, proof_id),
	API_COL(API_TEXT, struct db_staff_proof, reference),
	API_COL(API_TEXT_NULL, struct db_staff_proof, file_name),
	API_COL(API_TEXT_NULL, struct db_staff_proof, content_type),
	API_COL(API_INT64, struct db_staff_proof, size_bytes),
	API_COL(API_TEXT_NULL, struct db_staff_proof, sha256),
	API_COL(API_INT64, struct db_staff_proof, created_us),
};
static const struct api_call proofs_call = {
	.sql = proofs_sql, API_CALL_COLS(proof_cols), API_CALL_LIST(struct db_staff_proofs, items),
	.replay_safe = true,
};

/* The picture travels as hex text: the request layer keeps cells as C
 * strings, and hex does not depend on the session's bytea_output. */
static const char image_sql[] =
	"SELECT proof_id, order_id, file_name, content_type, size_bytes, sha256,"
	" encode(image, 'hex') FROM api_staff_proof_image($1, $2::uuid)";
/* The row as parsed: the struct's fields, then the hex it is decoded from. */
struct image_row {
	struct db_proof_image image;
	char *hex;
};
static const struct api_col image_cols[] = {
	API_COL(API_UUID, struct image_row, image.proof_id),
	API_COL(API_UUID, struct image_row, image.order_id),
	API_COL(API_TEXT, struct image_row, image.file_name),
	API_COL(API_TEXT, struct image_row, image.content_type),
	API_COL(API_INT64, struct image_row, image.size_bytes),
	API_COL(API_TEXT, struct image_row, image.sha256),
	API_COL(API_TEXT, struct image_row, hex),
};
/* What struct db_proof_image owns besides data (the first 6 columns). */
#define IMAGE_OWN_COLS 6
static const struct api_call image_call = {
	.sql = image_sql, API_CALL_COLS(image_cols), .shape = API_SHAPE_ROW,
	.out_size = sizeof(struct image_row), .replay_safe = true,
};

static const char refs_sql[] =
	"SELECT order_id, payment_reference FROM api_staff_payment_references($1, $2::uuid[])";
static const struct api_col ref_cols[] = {
	API_COL(API_UUID, struct db_payment_reference, order_id),
	API_COL(API_TEXT, struct db_payment_reference, payment_reference),
};
static const struct api_call refs_call = {
	.sql = refs_sql, API_CALL_COLS(ref_cols), API_CALL_LIST(struct db_payment_references, items),
	.replay_safe = true,
};

/* Every builder of this file: the args say which request to make. */
static void
build_detail(struct db_request *req, void *ctx)
{
	const struct detail_args *a = ctx;

	a->request(req, a);
}

void
db_staff_order_detail_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, order_id };

	api_request(req, &detail_call, 2, params);
}

/* id = order id. */
static void
detail_req(struct db_request *req, const struct detail_args *a)
{
	db_staff_order_detail_request(req, a->token, a->id);
}

/* The head from the first row, the items from every row that has one. */
static bz_err
detail_fold(void *rows_, size_t count, void *out_, char *err, size_t errlen)
{
	struct detail_row *rows = rows_;
	struct db_staff_order_detail *out = out_;

	if (count == 0) {
		snprintf(err, errlen, "the server returned no row for the order");
		return BZ_ERR_INTERNAL;
	}
	for (size_t i = 0; i < count; i++) {
		const struct detail_row *r = &rows[i];

		if (strcmp(r->head.order_id, rows[0].head.order_id) != 0 ||
		    (r->item.product_id[0] != '\0' &&
		     (r->item.product_name == NULL || r->item.quantity < 1)) ||
		    (r->item.product_id[0] == '\0' && count != 1)) {
			snprintf(err, errlen, "the server returned a malformed order line (row %zu)", i);
			return BZ_ERR_INTERNAL;
		}
	}
	/* Move the head's strings over; the scratch row keeps NULLs. */
	*out = rows[0].head;
	memset(&rows[0].head, 0, sizeof rows[0].head);
	out->items = NULL;
	out->count = 0;
	if (rows[0].item.product_id[0] == '\0')
		return BZ_OK;
	out->items = xcalloc(count, sizeof *out->items);
	for (size_t i = 0; i < count; i++) {
		out->items[i] = rows[i].item;
		rows[i].item.product_name = NULL;
	}
	out->count = count;
	return BZ_OK;
}

bz_err
db_staff_order_detail_result(const struct db_request *req, struct db_staff_order_detail *out,
                             char *err, size_t errlen)
{
	return api_result(req, &detail_call, out, err, errlen);
}

bz_err
db_staff_order_detail(struct db_conn *conn, const char *token, const char *order_id,
                      struct db_staff_order_detail *out, char *err, size_t errlen)
{
	struct detail_args args = { .token = token, .id = order_id, .request = detail_req };

	return api_call(conn, &detail_call, build_detail, &args, out, err, errlen);
}

void
db_staff_order_detail_free(struct db_staff_order_detail *out)
{
	for (size_t i = 0; i < out->count; i++)
		api_free_row(item_cols, API_NCOLS(item_cols), &out->items[i]);
	free(out->items);
	out->items = NULL;
	out->count = 0;
	api_free_row(detail_cols, DETAIL_HEAD_COLS, out);
	memset(out, 0, sizeof *out);
}

void
db_staff_order_proofs_request(struct db_request *req, const char *token, const char *order_id)
{
	const char *params[] = { token, order_id };

	api_request(req, &proofs_call, 2, params);
}

/* id = order id. */
static void
proofs_req(struct db_request *req, const struct detail_args *a)
{
	db_staff_order_proofs_request(req, a->token, a->id);
}

bz_err
db_staff_order_proofs_result(const struct db_request *req, struct db_staff_proofs *out, char *err,
                             size_t errlen)
{
	return api_result(req, &proofs_call, out, err, errlen);
}

bz_err
db_staff_order_proofs(struct db_conn *conn, const char *token, const char *order_id,
                      struct db_staff_proofs *out, char *err, size_t errlen)
{
	struct detail_args args = { .token = token, .id = order_id, .request = proofs_req };

	return api_call(conn, &proofs_call, build_detail, &args, out, err, errlen);
}

void
db_staff_proofs_free(struct db_staff_proofs *out)
{
	api_free(&proofs_call, out);
}

void
db_staff_proof_image_request(struct db_request *req, const char *token, const char *proof_id)
{
	const char *params[] = { token, proof_id };

	api_request(req, &image_call, 2, params);
}

/* id = proof id. */
static void
image_req(struct db_request *req, const struct detail_args *a)
{
	db_staff_proof_image_request(req, a->token, a->id);
}

/* 0..15 for a hex digit, else -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* HEX (an even number of hex digits) into a fresh buffer. */
static bz_err
hex_decode(const char *hex, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	size_t n = strlen(hex);
	unsigned char *buf;

	*data = NULL;
	*len = 0;
	if (n % 2 != 0) {
		snprintf(err, errlen, "the server returned a picture of odd hex length");
		return BZ_ERR_INTERNAL;
	}
	buf = xmalloc(n / 2 + 1);
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			snprintf(err, errlen, "the server returned a picture that is not hex");
			free(buf);
			return BZ_ERR_INTERNAL;
		}
		buf[i] = (unsigned char)(hi << 4 | lo);
	}
	*data = buf;
	*len = n / 2;
	return BZ_OK;
}

bz_err
db_staff_proof_image_result(const struct db_request *req, struct db_proof_image *out, char *err,
                            size_t errlen)
{
	struct image_row row;
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = api_result(req, &image_call, &row, err, errlen);
	if (rc != BZ_OK)
		return rc;
	rc = hex_decode(row.hex, &row.image.data, &row.image.len, err, errlen);
	free(row.hex);
	row.hex = NULL;
	if (rc == BZ_OK && (int64_t)row.image.len != row.image.size_bytes) {
		snprintf(err, errlen, "the picture has %zu bytes but its proof says %lld", row.image.len,
		         (long long)row.image.size_bytes);
		rc = BZ_ERR_INTERNAL;
	}
	*out = row.image;
	if (rc != BZ_OK)
		db_proof_image_free(out);
	return rc;
}

bz_err
db_staff_proof_image(struct db_conn *conn, const char *token, const char *proof_id,
                     struct db_proof_image *out, char *err, size_t errlen)
{
	struct detail_args args = { .token = token, .id = proof_id, .request = image_req };
	struct db_request req = { 0 };
	bz_err rc;

	memset(out, 0, sizeof *out);
	rc = api_run(conn, &req, build_detail, &args, RETRY_DEFAULT_MAX_ATTEMPTS, true, err, errlen);
	if (rc == BZ_OK)
		rc = db_staff_proof_image_result(&req, out, err, errlen);
	db_request_free(&req);
	return rc;
}

void
db_proof_image_free(struct db_proof_image *out)
{
	api_free_row(image_cols, IMAGE_OWN_COLS, out);
	free(out->data);
	memset(out, 0, sizeof *out);
}

void
db_staff_payment_references_request(struct db_request *req, const char *token,
                                    const char *const *order_ids, size_t count)
{
	char *array = db_text_array_literal(order_ids, count);
	const char *params[] = { token, array };

	api_request(req, &refs_call, 2, params);
	free(array);
}

/* ids/count = order ids. */
static void
refs_req(struct db_request *req, const struct detail_args *a)
{
	db_staff_payment_references_request(req, a->token, a->ids, a->count);
}

bz_err
db_staff_payment_references_result(const struct db_request *req, struct db_payment_references *out,
                                   char *err, size_t errlen)
{
	return api_result(req, &refs_call, out, err, errlen);
}

bz_err
db_staff_payment_references(struct db_conn *conn, const char *token, const char *const *order_ids,
                            size_t count, struct db_payment_references *out, char *err,
                            size_t errlen)
{
	struct detail_args args = { .token = token, .ids = order_ids, .count = count,
	                            .request = refs_req };

	return api_call(conn, &refs_call, build_detail, &args, out, err, errlen);
}

void
db_payment_references_free(struct db_payment_references *out)
{
	api_free(&refs_call, out);
}
