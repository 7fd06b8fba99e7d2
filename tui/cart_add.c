/* Adding to the server-side cart from the catalog and the product
 * screen (tui_cart_add in screens.h), without blocking the screen:
 *
 *   read the cart (its version and lines)
 *     -> the product is in it: one more on its line, checked against the
 *        per-product limit and its stock (core/cart_view);
 *     -> it is not: the lines limit, then the product's live stock
 *        (api_product), a new line of 1;
 *   set the new quantity against the version read. A cart changed
 *   meanwhile on another terminal (BZ_ERR_CART_CHANGED) is read again and
 *   the add tried once more; never an overwrite.
 *
 * One add at a time: a second one while the first runs is refused with a
 * message (the shopper presses again; nothing is counted twice). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cart_view.h"
#include "core/uuid.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/screen.h"
#include "tui/screens.h"

/* Reads of the cart after a stale version, before giving up. */
#define ADD_RETRIES 1
/* Bytes of the product's name kept for the status line. */
#define ADD_NAME_MAX 96

enum add_step {
	ADD_IDLE,           /* nothing running */
	ADD_READING,        /* api_cart_get on its way */
	ADD_CHECKING,       /* api_product on its way (a new line: is there stock?) */
	ADD_SETTING,        /* api_cart_set on its way */
};

/* The one add that may run; static because it outlives the key press
 * that started it and belongs to no screen. */
struct pending_add {
	enum add_step step;
	struct tui *tui;
	char product_id[UUID_BUF_SIZE];
	char name[ADD_NAME_MAX + 1];
	/* Whose cart: an answer that arrives after a log-out (or another
	 * shopper's log-in) is dropped. */
	char email[320];
	int retries_left;
	struct cart_view view;   /* the cart as read, for the rules */
	int quantity;            /* the quantity being set */
	bool new_line;
};

/* The owner of the add's calls. The calls need a screen so that a
 * session that ended (BZ_ERR_AUTH) is handled as on any screen that
 * needs a log-in: the manager asks for it again and comes back. It is
 * never shown: only its needs_login is read. */
static const struct screen_ops cart_add_ops = {
	.name = "cart-add",
	.title = "Cart",
	.needs_login = true,
};

static struct screen add_owner = { &cart_add_ops, NULL };
static struct pending_add add;

static void set_name(const char *name);
static void finish(void);
static bool still_ours(void);
static void queue_read(void);
static void queue_set(void);
static void read_done(struct screen *s, int tag, struct db_request *req);
static void check_done(struct screen *s, int tag, struct db_request *req);
static void set_done(struct screen *s, int tag, struct db_request *req);
static bool load_view(const struct db_cart *cart);

/* Keep NAME for the status line, cut on a whole UTF-8 character. */
static void
set_name(const char *name)
{
	size_t n = strlen(name ? name : "");

	if (n > ADD_NAME_MAX) {
		n = ADD_NAME_MAX;
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(add.name, name ? name : "", n);
	add.name[n] = '\0';
}

/* The add is over, whatever its outcome. */
static void
finish(void)
{
	cart_view_clear(&add.view);
	add.step = ADD_IDLE;
}

/* The shopper who asked is still the one logged in. */
static bool
still_ours(void)
{
	const char *email = tui_email(add.tui);

	return tui_token(add.tui) != NULL && email != NULL && strcmp(email, add.email) == 0;
}

static void
queue_read(void)
{
	struct db_request req;

	add.step = ADD_READING;
	db_cart_get_request(&req, tui_token(add.tui));
	tui_call(add.tui, &add_owner, 0, &req, TUI_CALL_REPLAY_SAFE, "Adding to your cart", read_done);
}

/* Send the new quantity against the version read. */
static void
queue_set(void)
{
	struct db_request req;

	add.step = ADD_SETTING;
	db_cart_set_request(&req, tui_token(add.tui), add.view.version, add.product_id, add.quantity);
	tui_call(add.tui, &add_owner, 0, &req, TUI_CALL_REPLAY_SAFE, "Adding to your cart", set_done);
}

void
tui_cart_add(struct tui *tui, const char *product_id, const char *name)
{
	if (tui_token(tui) == NULL) {
		tui_show(tui, "login");
		/* After tui_show: the log-in screen may set its own status. */
		tui_status(tui, "Log in to add to your cart.");
		return;
	}
	if (add.step != ADD_IDLE) {
		tui_status(tui, "Still adding %s to your cart: press again in a moment.", add.name);
		return;
	}
	if (!uuid_is_valid(product_id)) {
		tui_status_error(tui, "This product cannot be found.");
		return;
	}
	add.tui = tui;
	add_owner.tui = tui;
	uuid_canonical(product_id, add.product_id);
	set_name(name);
	snprintf(add.email, sizeof add.email, "%s", tui_email(tui) ? tui_email(tui) : "");
	add.retries_left = ADD_RETRIES;
	cart_view_init(&add.view, NULL);
	queue_read();
}

/* The cart as read into add.view. False (said) when it cannot be used. */
static bool
load_view(const struct db_cart *cart)
{
	struct cart_view_source *src = NULL;
	char err[256];
	bz_err rc;

	if (cart->count > 0)
		src = xcalloc(cart->count, sizeof *src);
	for (size_t i = 0; i < cart->count; i++) {
		const struct db_cart_line *l = &cart->lines[i];

		src[i] = (struct cart_view_source){
			.product_id = l->product_id, .name = l->name, .category = l->category,
			.unit_price_cents = l->unit_price_cents, .quantity = l->quantity,
			.line_total_cents = l->line_total_cents, .available = l->available,
			.is_active = l->is_active,
		};
	}
	rc = cart_view_load(&add.view, cart->version, src, cart->count, err, sizeof err);
	free(src);
	if (rc != BZ_OK)
		tui_status_error(add.tui, "%s was not added: %s.", add.name, err);
	return rc == BZ_OK;
}

/* The cart arrived: plan the add. */
static void
read_done(struct screen *s, int tag, struct db_request *req)
{
	struct db_cart cart;
	struct db_request next;
	char err[256], why[CART_VIEW_SENTENCE_MAX];
	bz_err rc;

	(void)s;
	(void)tag;
	if (!still_ours()) {
		finish();
		return;
	}
	rc = db_cart_get_result(req, &cart, err, sizeof err);
	if (rc != BZ_OK) {
		/* BZ_ERR_AUTH: the manager asks for a log-in and says why. */
		if (rc != BZ_ERR_AUTH)
			tui_status_error(add.tui, "%s was not added: %s", add.name, err);
		finish();
		return;
	}
	if (!load_view(&cart)) {
		db_cart_free(&cart);
		finish();
		return;
	}
	db_cart_free(&cart);
	/* Stock unknown yet (-1): a line in the cart brings its own. */
	if (cart_view_plan_add(&add.view, add.product_id, add.name, -1, &add.quantity, why,
	                       sizeof why) != BZ_OK) {
		tui_status_error(add.tui, "%s", why);
		finish();
		return;
	}
	add.new_line = cart_view_find(&add.view, add.product_id) == NULL;
	if (!add.new_line) {
		queue_set();
		return;
	}
	add.step = ADD_CHECKING;
	db_product_request(&next, add.product_id);
	tui_call(add.tui, &add_owner, 0, &next, TUI_CALL_REPLAY_SAFE, "Adding to your cart",
	         check_done);
}

/* A new line: the product's live stock decides. */
static void
check_done(struct screen *s, int tag, struct db_request *req)
{
	struct db_product product;
	char err[256], why[CART_VIEW_SENTENCE_MAX];
	bz_err rc;

	(void)s;
	(void)tag;
	if (!still_ours()) {
		finish();
		return;
	}
	rc = db_product_result(req, &product, err, sizeof err);
	if (rc == BZ_ERR_NOT_FOUND) {
		tui_status_error(add.tui, "%s is no longer sold.", add.name);
		finish();
		return;
	}
	if (rc != BZ_OK) {
		tui_status_error(add.tui, "%s was not added: %s", add.name, err);
		finish();
		return;
	}
	rc = cart_view_plan_add(&add.view, add.product_id, add.name, product.stock, &add.quantity,
	                        why, sizeof why);
	db_product_free(&product);
	if (rc != BZ_OK) {
		tui_status_error(add.tui, "%s", why);
		finish();
		return;
	}
	queue_set();
}

/* The server's verdict on the new quantity. */
static void
set_done(struct screen *s, int tag, struct db_request *req)
{
	struct db_cart_version out;
	char err[256];
	bz_err rc;

	(void)s;
	(void)tag;
	if (!still_ours()) {
		finish();
		return;
	}
	rc = db_cart_set_result(req, &out, err, sizeof err);
	if (rc == BZ_ERR_CART_CHANGED && add.retries_left > 0) {
		/* Another terminal got there first: read its cart, add to that. */
		add.retries_left--;
		cart_view_clear(&add.view);
		queue_read();
		return;
	}
	if (rc == BZ_OK) {
		tui_status(add.tui, "Added %s to the cart (%d in cart).", add.name, add.quantity);
		tui_set_cart_lines(add.tui, (int)add.view.count + (add.new_line ? 1 : 0));
	} else if (rc == BZ_ERR_CART_CHANGED) {
		tui_status_error(add.tui,
		                 "Your cart keeps changing on another terminal: %s was not added. F3 shows it.",
		                 add.name);
	} else if (rc != BZ_ERR_AUTH) {
		tui_status_error(add.tui, "%s was not added: %s", add.name, err);
	}
	finish();
}
