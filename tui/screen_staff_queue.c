/* The console's Bank transfers screen (F2, the first one): the orders
 * awaiting payment, oldest first, with their age, customer, total, items,
 * proofs attached, time left before they lapse (red under an hour) and
 * payment reference; read again every 2 s, so an order placed meanwhile
 * shows up without a key. Enter opens the detail (staff_order_detail.c);
 * a approves, r rejects, each after a note or reason and a y/n, through
 * db_staff_decide_request; a decision someone else made first is told
 * with who and when. Space tags orders (htop's tag-then-act): a or r
 * then decides every tagged order with one note or reason and one y/n,
 * one call after another, and says how many went through and which
 * someone else had decided first. --readonly refuses both before any
 * call.
 *
 * Data comes only through db_staff_orders_request (status
 * "awaiting_payment") and db_staff_payment_references_request (the
 * reference rule is the server's bz_payment_reference), run by the
 * manager's queue: this screen never waits for the database. */
#include "config.h"

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/manager.h"
#include "tui/screen.h"
#include "tui/staff_order_detail.h"
#include "tui/text.h"

/* The queue is read again this often (only when none of its calls is
 * pending). */
#define QUEUE_POLL_MS 2000
/* After a failed read the wait doubles, up to 2^POLL_BACKOFF_MAX times,
 * so a database that is down is not hammered. */
#define POLL_BACKOFF_MAX 3
/* Orders per page of api_staff_orders (its largest). */
#define QUEUE_PAGE 500
/* A decision's note or reason: api_staff_approve/reject take 500. */
#define REASON_MAX 200
/* Fixed columns: age, total, items, proofs, time left, reference. */
#define AGE_W 6
#define TOTAL_W 10
#define ITEMS_W 5
#define PROOFS_W 6
#define LEFT_W 7
#define REF_W 15
#define EMAIL_MAX_W 40
/* Under this long before it lapses, the time left is red. */
#define URGENT_US (3600LL * 1000000)

enum queue_call {
	CALL_PAGE = 1,    /* a page of awaiting orders */
	CALL_REFS,        /* payment references of orders new to the list */
	CALL_DECIDE,      /* approve or reject */
};

/* Where a decision stands. */
enum decide_step {
	DECIDE_NONE,
	DECIDE_REASON,    /* typing the note (approve) or reason (reject) */
	DECIDE_CONFIRM,   /* y/n */
	DECIDE_SENDING,   /* the call is queued or running */
};

/* A payment reference the server gave for an order. */
struct ref_entry {
	char order_id[DB_UUID_SIZE];
	char *reference;
};

/* The order a decision is about, copied: the list may change under the
 * prompt. */
struct decide_target {
	char order_id[DB_UUID_SIZE];
	char reference[32];
	char email[128];
	int64_t total_cents;
};

struct queue_screen {
	struct screen base;              /* first: the manager sees a struct screen */
	struct db_staff_orders list;     /* owned; awaiting payment, oldest placed first */
	struct db_staff_orders incoming; /* owned; pages of a load being gathered */
	struct ref_entry *refs;          /* owned; references of listed orders */
	size_t nrefs;
	bool loaded, failed;
	bool load_pending, refs_pending;
	unsigned generation;             /* bumped by forget: older answers are dropped */
	char selected_id[DB_UUID_SIZE];  /* the cursor follows its order as the list changes */
	size_t selected, top;
	int visible;
	int64_t last_load_ms;
	int poll_failures;               /* failed reads in a row (the backoff) */
	int64_t drawn_second;
	struct staff_detail detail;
	enum decide_step step;
	bool approve;
	struct decide_target target;
	/* Tag-then-act: the tagged orders, and a batch being decided (the
	 * tags move into it on y; its calls go one after another). */
	struct decide_target *tagged;
	size_t ntagged;
	struct decide_target *batch;
	size_t nbatch, batch_next;
	size_t batch_done, batch_lost;
	char batch_lost_ref[32], batch_lost_by[128];
	struct line_edit reason;
	bool reason_missing;             /* Enter on an empty rejection reason: say so in the prompt */
};

extern const struct screen_ops screen_staff_queue_ops;

static const struct screen_key queue_keys_list[] = {
	{ "a", "Approve", "The transfer arrived: approve the selected order (asks first)", true },
	{ "r", "Reject", "No transfer: reject the selected order with a reason (asks first)", true },
	{ "Space", "Tag", "Tag or untag the selected order; a or r then decide every tagged one", true },
	{ "u", "", "Untag every order", false },
	{ "Enter", "Open", "Open the order: items, promo, proofs (export a picture), codes", false },
	{ "Up/Down", "", "Move the selection (also k/j); Home/End: first/last", false },
	{ "Click", "", "Select an order; click it again to open it", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key reason_keys_list[] = {
	{ "Enter", "Next", "Go on to the y/n question", true },
	{ "Esc", "Cancel", "Nothing is decided", true },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key confirm_keys_list[] = {
	{ "y", "Yes", "Send the decision", true },
	{ "n", "No", "Nothing is decided (also Esc)", true },
	{ NULL, NULL, NULL, false },
};

static struct screen *queue_create(struct tui *tui);
static void queue_destroy(struct screen *s);
static void queue_draw(struct screen *s, WINDOW *win);
static bool queue_draw_prompt(struct screen *s, WINDOW *win, int width);
static int queue_handle_key(struct screen *s, const struct tui_key *key);
static void queue_reload(struct screen *s);
static const struct screen_key *queue_keys(const struct screen *s);
static void queue_forget(struct screen *s);
static bool queue_tick(struct screen *s, int64_t now_ms);
static void done_cb(struct screen *s, int tag, struct db_request *req);
static void load_page(struct queue_screen *qs, int64_t after_seq);
static void page_done(struct queue_screen *qs, struct db_request *req);
static void install_list(struct queue_screen *qs);
static void announce_new(struct queue_screen *qs, const struct db_staff_orders *was);
static void queue_refs(struct queue_screen *qs);
static void refs_done(struct queue_screen *qs, struct db_request *req);
static const char *ref_of(const struct queue_screen *qs, const char *order_id);
static void prune_refs(struct queue_screen *qs);
static int cmp_placed(const void *a, const void *b);
static void select_row(struct queue_screen *qs, size_t row);
static void follow_selection(struct queue_screen *qs);
static int list_key(struct queue_screen *qs, const struct tui_key *key);
static int start_decision(struct queue_screen *qs, bool approve);
static int decide_key(struct queue_screen *qs, const struct tui_key *key);
static void send_decision(struct queue_screen *qs);
static void decide_done(struct queue_screen *qs, struct db_request *req);
static void draw_row(struct queue_screen *qs, WINDOW *win, int y, size_t i, int email_w,
                     int64_t now_us);
static void target_of(const struct queue_screen *qs, const struct db_staff_order *o,
                      struct decide_target *t);
static ssize_t tag_index(const struct queue_screen *qs, const char *order_id);
static void toggle_tag(struct queue_screen *qs);
static void prune_tags(struct queue_screen *qs);
static void untag_all(struct queue_screen *qs);
static int64_t tagged_total(const struct queue_screen *qs);
static void send_next_in_batch(struct queue_screen *qs);
static void batch_answer(struct queue_screen *qs, bz_err rc, const struct db_decision *out,
                         const char *err);
static void single_answer(struct queue_screen *qs, bz_err rc, const struct db_decision *out,
                          const char *err);

const struct screen_ops screen_staff_queue_ops = {
	.name = "queue",
	.title = "Bank transfers",
	.create = queue_create,
	.destroy = queue_destroy,
	.draw = queue_draw,
	.draw_prompt = queue_draw_prompt,
	.handle_key = queue_handle_key,
	.reload = queue_reload,
	.keys = queue_keys,
	.forget = queue_forget,
	.tick = queue_tick,
	.needs_login = true,
};

static struct screen *
queue_create(struct tui *tui)
{
	struct queue_screen *qs = xcalloc(1, sizeof *qs);

	qs->base.ops = &screen_staff_queue_ops;
	qs->base.tui = tui;
	qs->visible = LINES > 5 ? LINES - 4 : 1;
	qs->reason.max = REASON_MAX;
	staff_detail_init(&qs->detail, &qs->base, done_cb);
	return &qs->base;
}

static void
queue_destroy(struct screen *s)
{
	queue_forget(s);
	free(s);
}

/* Log-out: nothing of the staff member's stays; answers on their way are
 * dropped when they arrive. */
static void
queue_forget(struct screen *s)
{
	struct queue_screen *qs = (struct queue_screen *)s;

	staff_detail_forget(&qs->detail);
	db_staff_orders_free(&qs->list);
	db_staff_orders_free(&qs->incoming);
	for (size_t i = 0; i < qs->nrefs; i++)
		free(qs->refs[i].reference);
	free(qs->refs);
	qs->refs = NULL;
	qs->nrefs = 0;
	line_edit_wipe(&qs->reason);
	memset(&qs->target, 0, sizeof qs->target);
	untag_all(qs);
	free(qs->batch);
	qs->batch = NULL;
	qs->nbatch = qs->batch_next = 0;
	qs->step = DECIDE_NONE;
	qs->loaded = qs->failed = qs->load_pending = qs->refs_pending = false;
	qs->selected_id[0] = '\0';
	qs->selected = qs->top = 0;
	qs->last_load_ms = 0;
	qs->poll_failures = 0;
	qs->generation++;
}

/* Ask for the awaiting orders after AFTER_SEQ (0: from the start). */
static void
load_page(struct queue_screen *qs, int64_t after_seq)
{
	struct db_request req;
	const char *token = tui_token(qs->base.tui);

	if (token == NULL)
		return;
	db_staff_orders_request(&req, token, "awaiting_payment", QUEUE_PAGE, after_seq);
	qs->load_pending = true;
	tui_call(qs->base.tui, &qs->base, staff_tag(qs->generation, CALL_PAGE), &req,
	         TUI_CALL_REPLAY_SAFE, "Reading the bank transfers", done_cb);
}

static void
done_cb(struct screen *s, int tag, struct db_request *req)
{
	struct queue_screen *qs = (struct queue_screen *)s;

	if (staff_detail_owns(tag)) {
		staff_detail_done(&qs->detail, tag, req);
		return;
	}
	if (!staff_tag_current(tag, qs->generation))
		return;
	switch (staff_tag_kind(tag)) {
	case CALL_PAGE:
		page_done(qs, req);
		break;
	case CALL_REFS:
		refs_done(qs, req);
		break;
	case CALL_DECIDE:
		decide_done(qs, req);
		break;
	default:
		break;
	}
}

/* A page arrived: gather it, ask for the next, or put the whole in place. */
static void
page_done(struct queue_screen *qs, struct db_request *req)
{
	struct db_staff_orders page;
	char err[256];
	bz_err rc = db_staff_orders_result(req, &page, err, sizeof err);
	size_t total;

	qs->load_pending = false;
	qs->last_load_ms = tui_now_ms();
	if (rc != BZ_OK) {
		if (qs->poll_failures < POLL_BACKOFF_MAX)
			qs->poll_failures++;
		db_staff_orders_free(&qs->incoming);
		if (!qs->loaded)
			qs->failed = true;
		if (rc != BZ_ERR_AUTH)
			tui_status_error(qs->base.tui, "The bank transfers could not be read: %s", err);
		return;
	}
	qs->poll_failures = 0;
	total = qs->incoming.count + page.count;
	if (page.count > 0) {
		qs->incoming.items = xrealloc(qs->incoming.items, total * sizeof *page.items);
		/* The rows move over with their strings; only the array goes. */
		memcpy(qs->incoming.items + qs->incoming.count, page.items, page.count * sizeof *page.items);
		qs->incoming.count = total;
	}
	free(page.items);
	if (page.count == QUEUE_PAGE) {
		load_page(qs, qs->incoming.items[qs->incoming.count - 1].change_seq);
		return;
	}
	install_list(qs);
}

/* Oldest placed first; the id breaks ties, so the order is stable. */
static int
cmp_placed(const void *a, const void *b)
{
	const struct db_staff_order *x = a, *y = b;

	if (x->created_us != y->created_us)
		return x->created_us < y->created_us ? -1 : 1;
	return strcmp(x->order_id, y->order_id);
}

/* The gathered pages become the list; the cursor stays on its order. */
static void
install_list(struct queue_screen *qs)
{
	struct db_staff_orders was = qs->list;
	bool first = !qs->loaded;

	/* An empty queue has no array: qsort must not see NULL. */
	if (qs->incoming.count > 1)
		qsort(qs->incoming.items, qs->incoming.count, sizeof *qs->incoming.items, cmp_placed);
	qs->list = qs->incoming;
	memset(&qs->incoming, 0, sizeof qs->incoming);
	qs->loaded = true;
	qs->failed = false;
	if (first) {
		tui_status(qs->base.tui, "%zu bank transfer%s waiting %s Enter opens, a approves, r rejects",
		           qs->list.count, qs->list.count == 1 ? "" : "s", text_glyph("\u00b7", "-"));
	} else {
		announce_new(qs, &was);
	}
	db_staff_orders_free(&was);
	follow_selection(qs);
	prune_tags(qs);
	prune_refs(qs);
	queue_refs(qs);
}

/* Say which orders joined the queue since the last read. */
static void
announce_new(struct queue_screen *qs, const struct db_staff_orders *was)
{
	size_t fresh = 0;
	const struct db_staff_order *last = NULL;
	char total[MONEY_FORMAT_MAX];

	for (size_t i = 0; i < qs->list.count; i++) {
		bool known = false;

		for (size_t j = 0; j < was->count && !known; j++)
			known = strcmp(was->items[j].order_id, qs->list.items[i].order_id) == 0;
		if (!known) {
			fresh++;
			last = &qs->list.items[i];
		}
	}
	if (last == NULL)
		return;
	money_format(last->total_cents, total, sizeof total);
	if (fresh == 1)
		tui_status(qs->base.tui, "New bank transfer to check: %.8s from %s, %s.", last->order_id,
		           last->customer_email, total);
	else
		tui_status(qs->base.tui, "%zu new bank transfers to check.", fresh);
}

/* Ask for the references of listed orders that have none yet. */
static void
queue_refs(struct queue_screen *qs)
{
	const char *token = tui_token(qs->base.tui);
	const char **ids;
	size_t n = 0;
	struct db_request req;

	if (token == NULL || qs->refs_pending || qs->list.count == 0)
		return;
	ids = xcalloc(qs->list.count, sizeof *ids);
	for (size_t i = 0; i < qs->list.count && n < QUEUE_PAGE; i++)
		if (ref_of(qs, qs->list.items[i].order_id) == NULL)
			ids[n++] = qs->list.items[i].order_id;
	if (n > 0) {
		db_staff_payment_references_request(&req, token, ids, n);
		qs->refs_pending = true;
		tui_call(qs->base.tui, &qs->base, staff_tag(qs->generation, CALL_REFS), &req,
		         TUI_CALL_REPLAY_SAFE, "Reading payment references", done_cb);
	}
	free(ids);
}

/* References arrived: keep them (an order's reference never changes). */
static void
refs_done(struct queue_screen *qs, struct db_request *req)
{
	struct db_payment_references refs;
	char err[256];
	bz_err rc = db_staff_payment_references_result(req, &refs, err, sizeof err);

	qs->refs_pending = false;
	if (rc != BZ_OK) {
		if (rc != BZ_ERR_AUTH)
			tui_status_error(qs->base.tui, "The payment references could not be read: %s", err);
		return;
	}
	qs->refs = xrealloc(qs->refs, (qs->nrefs + refs.count + 1) * sizeof *qs->refs);
	for (size_t i = 0; i < refs.count; i++) {
		if (ref_of(qs, refs.items[i].order_id) != NULL)
			continue;
		memcpy(qs->refs[qs->nrefs].order_id, refs.items[i].order_id, DB_UUID_SIZE);
		qs->refs[qs->nrefs].reference = refs.items[i].payment_reference;
		refs.items[i].payment_reference = NULL;
		qs->nrefs++;
	}
	db_payment_references_free(&refs);
}

/* The reference of ORDER_ID, NULL when not known yet. */
static const char *
ref_of(const struct queue_screen *qs, const char *order_id)
{
	for (size_t i = 0; i < qs->nrefs; i++)
		if (strcmp(qs->refs[i].order_id, order_id) == 0)
			return qs->refs[i].reference;
	return NULL;
}

/* Forget the references of orders no longer listed. */
static void
prune_refs(struct queue_screen *qs)
{
	size_t kept = 0;

	for (size_t i = 0; i < qs->nrefs; i++) {
		bool listed = false;

		for (size_t j = 0; j < qs->list.count && !listed; j++)
			listed = strcmp(qs->list.items[j].order_id, qs->refs[i].order_id) == 0;
		if (listed)
			qs->refs[kept++] = qs->refs[i];
		else
			free(qs->refs[i].reference);
	}
	qs->nrefs = kept;
}

/* Put the cursor on ROW and remember its order. */
static void
select_row(struct queue_screen *qs, size_t row)
{
	if (qs->list.count == 0) {
		qs->selected = 0;
		qs->selected_id[0] = '\0';
		return;
	}
	if (row >= qs->list.count)
		row = qs->list.count - 1;
	qs->selected = row;
	memcpy(qs->selected_id, qs->list.items[row].order_id, DB_UUID_SIZE);
}

/* After the list changed: the cursor on its order, or the row where it was. */
static void
follow_selection(struct queue_screen *qs)
{
	for (size_t i = 0; qs->selected_id[0] && i < qs->list.count; i++)
		if (strcmp(qs->list.items[i].order_id, qs->selected_id) == 0) {
			qs->selected = i;
			return;
		}
	select_row(qs, qs->selected);
}

/* F5, and every time the screen is shown. */
static void
queue_reload(struct screen *s)
{
	struct queue_screen *qs = (struct queue_screen *)s;

	if (!qs->load_pending)
		load_page(qs, 0);
	staff_detail_refresh(&qs->detail);
}

/* Every ~100 ms: the countdowns tick each second; the queue (and an open
 * detail) is read again every QUEUE_POLL_MS when no call of ours waits. */
static bool
queue_tick(struct screen *s, int64_t now_ms)
{
	struct queue_screen *qs = (struct queue_screen *)s;
	int64_t second = staff_now_us() / 1000000;
	bool redraw = second != qs->drawn_second;

	qs->drawn_second = second;
	if (qs->loaded && tui_token(s->tui) != NULL && tui_calls_pending(s->tui, s) == 0 &&
	    now_ms - qs->last_load_ms >= ((int64_t)QUEUE_POLL_MS << qs->poll_failures)) {
		qs->last_load_ms = now_ms;
		load_page(qs, 0);
	}
	staff_detail_tick(&qs->detail, now_ms);
	return redraw;
}

/* a or r on the selected order (or the open detail's): the note or reason
 * prompt. Refused under --readonly, before anything else. */
static int
start_decision(struct queue_screen *qs, bool approve)
{
	struct tui *tui = qs->base.tui;
	const char *verb = approve ? "approving" : "rejecting";

	if (tui_readonly(tui)) {
		/* The same words as the other console screens' refusals. */
		tui_status_error(tui, "Read-only console: %s is not allowed here.", verb);
		return SR_HANDLED | SR_REDRAW;
	}
	if (qs->step == DECIDE_SENDING) {
		tui_status(tui, "A decision is on its way already.");
		return SR_HANDLED | SR_REDRAW;
	}
	memset(&qs->target, 0, sizeof qs->target);
	if (!qs->detail.open && qs->ntagged > 0) {
		/* The tagged orders; the prompt names how many. */
	} else if (qs->detail.open) {
		const struct db_staff_order_detail *h = &qs->detail.head;

		if (!qs->detail.loaded)
			return SR_HANDLED;
		if (strcmp(h->status, "awaiting_payment") != 0) {
			char when[32];
			enum crt_color color;

			text_time(h->decided_us, when, sizeof when, "%Y-%m-%d %H:%M:%S");
			tui_status_error(tui, "Nothing to decide: this order is %s%s%s%s%s.",
			                 staff_status_words(h->status, h->decision_reason, h->decided_by_email,
			                                    &color),
			                 h->decided_by_email ? " by " : "",
			                 h->decided_by_email ? h->decided_by_email : "",
			                 h->decided_us ? " at " : "", h->decided_us ? when : "");
			return SR_HANDLED | SR_REDRAW;
		}
		memcpy(qs->target.order_id, h->order_id, DB_UUID_SIZE);
		snprintf(qs->target.reference, sizeof qs->target.reference, "%s", h->payment_reference);
		snprintf(qs->target.email, sizeof qs->target.email, "%s", h->customer_email);
		qs->target.total_cents = h->total_cents;
	} else {
		const struct db_staff_order *o;

		if (qs->selected >= qs->list.count) {
			tui_status(tui, "No bank transfer is waiting.");
			return SR_HANDLED | SR_REDRAW;
		}
		o = &qs->list.items[qs->selected];
		target_of(qs, o, &qs->target);
	}
	qs->approve = approve;
	qs->reason_missing = false;
	qs->step = DECIDE_REASON;
	line_edit_wipe(&qs->reason);
	qs->reason.max = REASON_MAX;
	return SR_HANDLED | SR_REDRAW;
}

/* Keys while a decision is being asked for. */
static int
decide_key(struct queue_screen *qs, const struct tui_key *key)
{
	struct tui *tui = qs->base.tui;
	char *text;

	if (qs->step == DECIDE_CONFIRM) {
		if (key_is_char(key, L'y') || key_is_char(key, L'Y')) {
			send_decision(qs);
			return SR_HANDLED | SR_REDRAW;
		}
		if (key_is_char(key, L'n') || key_is_char(key, L'N') || key_is_char(key, TUI_KEY_ESC)) {
			qs->step = DECIDE_NONE;
			line_edit_wipe(&qs->reason);
			tui_status(tui, "Nothing decided.");
			return SR_HANDLED | SR_REDRAW;
		}
		return key->is_code ? SR_IGNORED : SR_HANDLED;
	}
	switch (line_edit_key(&qs->reason, key)) {
	case LINE_EDIT_ACCEPT:
		text = line_edit_text(&qs->reason);
		/* A rejection tells the customer why: the reason is required. */
		if (!qs->approve && text[strspn(text, " ")] == '\0') {
			qs->reason_missing = true;
			beep();
			free(text);
			return SR_HANDLED | SR_REDRAW;
		}
		free(text);
		qs->step = DECIDE_CONFIRM;
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CANCEL:
		qs->step = DECIDE_NONE;
		line_edit_wipe(&qs->reason);
		tui_status(tui, "Nothing decided.");
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_CHANGED:
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(qs->base.tui, &qs->reason);
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_IGNORED:
		break;
	}
	return key->is_code ? SR_IGNORED : SR_HANDLED;
}

/* y: send the decision. */
static void
send_decision(struct queue_screen *qs)
{
	struct tui *tui = qs->base.tui;
	char *reason = line_edit_text(&qs->reason);
	struct db_request req;

	if (tui_readonly(tui) || tui_token(tui) == NULL) {
		qs->step = DECIDE_NONE;
		free(reason);
		return;
	}
	if (!qs->detail.open && qs->ntagged > 0) {
		/* The tags become the batch: the list may change under it. */
		free(qs->batch);
		qs->batch = qs->tagged;
		qs->nbatch = qs->ntagged;
		qs->tagged = NULL;
		qs->ntagged = 0;
		qs->batch_next = qs->batch_done = qs->batch_lost = 0;
		qs->step = DECIDE_SENDING;
		free(reason);
		send_next_in_batch(qs);
		return;
	}
	db_staff_decide_request(&req, tui_token(tui), qs->target.order_id, qs->approve, reason);
	qs->step = DECIDE_SENDING;
	/* Replayed after a lost connection: a decision that did commit comes
	 * back "already decided", by oneself. */
	tui_call(tui, &qs->base, staff_tag(qs->generation, CALL_DECIDE), &req, TUI_CALL_REPLAY_SAFE,
	         qs->approve ? "Approving" : "Rejecting", done_cb);
	free(reason);
}

/* The decision's answer: done, or someone else's first (who, when). A
 * batch sends its next decision until none is left. */
static void
decide_done(struct queue_screen *qs, struct db_request *req)
{
	struct db_decision out;
	char err[256];
	bz_err rc = db_staff_decide_result(req, &out, err, sizeof err);

	if (qs->batch != NULL)
		batch_answer(qs, rc, &out, err);
	else
		single_answer(qs, rc, &out, err);
	if (rc == BZ_OK || rc == BZ_ERR_ALREADY_DECIDED)
		db_decision_free(&out);
	if (qs->batch != NULL && qs->batch_next < qs->nbatch) {
		send_next_in_batch(qs);
		return;
	}
	free(qs->batch);
	qs->batch = NULL;
	qs->nbatch = qs->batch_next = 0;
	qs->step = DECIDE_NONE;
	line_edit_wipe(&qs->reason);
	if (!qs->load_pending)
		load_page(qs, 0);
	staff_detail_refresh(&qs->detail);
}

/* Say how one decision went. */
static void
single_answer(struct queue_screen *qs, bz_err rc, const struct db_decision *out, const char *err)
{
	struct tui *tui = qs->base.tui;
	char when[32];
	const char *verb = qs->approve ? "approved" : "rejected";

	if (rc == BZ_OK) {
		if (qs->approve)
			tui_status(tui, "Approved %s: fulfilled, codes delivered to %s.",
			           qs->target.reference, qs->target.email);
		else
			tui_status(tui, "Rejected %s: cancelled, its codes back on sale.",
			           qs->target.reference);
	} else if (rc == BZ_ERR_ALREADY_DECIDED && strcmp(out->outcome, "already_decided") == 0) {
		/* Who won and when, from the server's answer. */
		staff_format_clock(out->decided_us, when, sizeof when);
		tui_status_error(tui, "Not %s: %s %s it first, at %s.", verb,
		                 out->decided_by_email ? out->decided_by_email : "someone else",
		                 out->order_status && strcmp(out->order_status, "fulfilled") == 0 ? "approved"
		                 : out->order_status && strcmp(out->order_status, "cancelled") == 0 ? "rejected"
		                 : "decided", when);
	} else if (rc != BZ_ERR_AUTH) {
		tui_status_error(tui, "Not %s: %s", verb, err);
	}
}

/* Keys on the list. */
static int
list_key(struct queue_screen *qs, const struct tui_key *key)
{
	long page = qs->visible > 1 ? qs->visible - 1 : 1;
	long target = (long)qs->selected;

	if (key_is_enter(key)) {
		if (qs->selected < qs->list.count)
			staff_detail_open(&qs->detail, qs->list.items[qs->selected].order_id);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_MOUSE)) {
		/* Row 0 is the column titles. */
		size_t row = qs->top + (size_t)(key->y - 1);

		if (key->y < 1 || row >= qs->list.count)
			return SR_HANDLED;
		if (row == qs->selected)
			staff_detail_open(&qs->detail, qs->list.items[row].order_id);
		else
			select_row(qs, row);
		return SR_HANDLED | SR_REDRAW;
	}
	if (key_is_code(key, KEY_UP) || key_is_char(key, L'k'))
		target--;
	else if (key_is_code(key, KEY_DOWN) || key_is_char(key, L'j'))
		target++;
	else if (key_is_code(key, KEY_PPAGE))
		target -= page;
	else if (key_is_code(key, KEY_NPAGE))
		target += page;
	else if (key_is_char(key, L' ')) {
		toggle_tag(qs);
		target++;
	} else if (key_is_char(key, L'u')) {
		untag_all(qs);
		tui_status(qs->base.tui, "No order is tagged.");
		return SR_HANDLED | SR_REDRAW;
	}
	else if (key_is_code(key, KEY_HOME) || key_is_char(key, L'g'))
		target = 0;
	else if (key_is_code(key, KEY_END) || key_is_char(key, L'G'))
		target = (long)qs->list.count;
	else
		return SR_IGNORED;
	select_row(qs, target < 0 ? 0 : (size_t)target);
	return SR_HANDLED | SR_REDRAW;
}

static int
queue_handle_key(struct screen *s, const struct tui_key *key)
{
	struct queue_screen *qs = (struct queue_screen *)s;

	if (qs->step == DECIDE_REASON || qs->step == DECIDE_CONFIRM)
		return decide_key(qs, key);
	if (key_is_char(key, L'a') && !qs->detail.exporting)
		return start_decision(qs, true);
	if (key_is_char(key, L'r') && !qs->detail.exporting)
		return start_decision(qs, false);
	if (qs->detail.open)
		return staff_detail_key(&qs->detail, key);
	return list_key(qs, key);
}

/* The decision's prompt, or the detail's, on the status line. */
static bool
queue_draw_prompt(struct screen *s, WINDOW *win, int width)
{
	struct queue_screen *qs = (struct queue_screen *)s;
	char total[MONEY_FORMAT_MAX], what[48], *label;
	int lw;

	if (qs->step == DECIDE_NONE || qs->step == DECIDE_SENDING)
		return qs->detail.open && staff_detail_draw_prompt(&qs->detail, win, width);
	money_format(qs->target.total_cents, total, sizeof total);
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	if (qs->step == DECIDE_CONFIRM && qs->target.order_id[0] == '\0') {
		money_format(tagged_total(qs), total, sizeof total);
		label = xasprintf("%s the %zu tagged orders (%s in all)? y/n",
		                  qs->approve ? "Approve" : "Reject", qs->ntagged, total);
		text_draw(win, 0, 0, width, label, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(label);
		return true;
	}
	if (qs->step == DECIDE_CONFIRM) {
		label = xasprintf("%s %s (%s, %s)? y/n", qs->approve ? "Approve" : "Reject",
		                  qs->target.reference, total, qs->target.email);
		text_draw(win, 0, 0, width, label, TEXT_LEFT);
		wattrset(win, A_NORMAL);
		free(label);
		return true;
	}
	if (qs->target.order_id[0] == '\0')
		snprintf(what, sizeof what, "the %zu tagged orders", qs->ntagged);
	else
		snprintf(what, sizeof what, "%s", qs->target.reference);
	label = xasprintf("%s %s, %s: ", qs->approve ? "Approve" : "Reject", what,
	                  qs->approve ? "note (optional)"
	                  : qs->reason_missing ? "a reason is needed"
	                  : "reason (required)");
	lw = text_draw(win, 0, 0, width / 2 + 8, label, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	line_edit_draw(&qs->reason, win, 0, lw, width - lw);
	free(label);
	return true;
}

static const struct screen_key *
queue_keys(const struct screen *s)
{
	const struct queue_screen *qs = (const struct queue_screen *)s;

	if (qs->step == DECIDE_REASON)
		return reason_keys_list;
	if (qs->step == DECIDE_CONFIRM)
		return confirm_keys_list;
	if (qs->detail.open)
		return staff_detail_keys(&qs->detail, true);
	return queue_keys_list;
}

/* One order row. */
static void
draw_row(struct queue_screen *qs, WINDOW *win, int y, size_t i, int email_w, int64_t now_us)
{
	const struct db_staff_order *o = &qs->list.items[i];
	bool sel = i == qs->selected;
	attr_t base = crt_attr(sel ? COLOR_SELECTED : COLOR_DEFAULT);
	char age[32], total[MONEY_FORMAT_MAX], items[24], proofs[24], left[32];
	const char *ref = ref_of(qs, o->order_id);
	int x = 1;
	bool urgent = o->expires_us > 0 && o->expires_us - now_us < URGENT_US;

	staff_format_span(now_us - o->created_us, age, sizeof age);
	money_format(o->total_cents, total, sizeof total);
	snprintf(items, sizeof items, "%lld", (long long)o->items);
	snprintf(proofs, sizeof proofs, "%lld", (long long)o->proofs);
	if (o->expires_us == 0)
		snprintf(left, sizeof left, "-");
	else if (o->expires_us <= now_us)
		snprintf(left, sizeof left, "lapsed");
	else
		staff_format_span(o->expires_us - now_us, left, sizeof left);

	wattrset(win, base);
	mvwhline(win, y, 0, ' ', getmaxx(win));
	if (tag_index(qs, o->order_id) >= 0) {
		/* Column 0 is the tag's: htop marks tagged rows the same way. */
		wattrset(win, crt_attr(COLOR_STOCK_LOW) | A_BOLD | (sel ? A_REVERSE : 0));
		text_draw(win, y, 0, 1, text_glyph("\u25cf", "*"), TEXT_LEFT);
		wattrset(win, base);
	}
	x += text_draw(win, y, x, AGE_W, age, TEXT_PAD) + 1;
	x += text_draw(win, y, x, email_w, o->customer_email, TEXT_PAD) + 1;
	wattrset(win, sel ? base : crt_attr(COLOR_PRICE));
	x += text_draw(win, y, x, TOTAL_W, total, TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, base);
	x += text_draw(win, y, x, ITEMS_W, items, TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, o->proofs > 0 ? base | A_BOLD : base);
	x += text_draw(win, y, x, PROOFS_W, proofs, TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, urgent ? crt_attr(COLOR_SOLD_OUT) | (sel ? A_REVERSE : 0) : base);
	x += text_draw(win, y, x, LEFT_W, left, TEXT_RIGHT | TEXT_PAD) + 1;
	wattrset(win, base);
	text_draw(win, y, x, REF_W, ref ? ref : text_glyph("\u2026", "..."), TEXT_LEFT);
	wattrset(win, A_NORMAL);
}

static void
queue_draw(struct screen *s, WINDOW *win)
{
	struct queue_screen *qs = (struct queue_screen *)s;
	int h = getmaxy(win), w = getmaxx(win), x = 1, email_w;
	int64_t now_us = staff_now_us();

	if (qs->detail.open) {
		staff_detail_draw(&qs->detail, win);
		return;
	}
	email_w = w - (1 + AGE_W + 1 + 1 + TOTAL_W + 1 + ITEMS_W + 1 + PROOFS_W + 1 + LEFT_W + 1 +
	               REF_W + 1);
	if (email_w > EMAIL_MAX_W)
		email_w = EMAIL_MAX_W;
	qs->visible = h - 1 > 0 ? h - 1 : 1;
	wattrset(win, crt_attr(COLOR_COLUMN_HEADER));
	mvwhline(win, 0, 0, ' ', w);
	x += text_draw(win, 0, x, AGE_W, "Age", TEXT_PAD) + 1;
	x += text_draw(win, 0, x, email_w, "Customer", TEXT_PAD) + 1;
	x += text_draw(win, 0, x, TOTAL_W, "Total", TEXT_RIGHT | TEXT_PAD) + 1;
	x += text_draw(win, 0, x, ITEMS_W, "Items", TEXT_RIGHT | TEXT_PAD) + 1;
	x += text_draw(win, 0, x, PROOFS_W, "Proofs", TEXT_RIGHT | TEXT_PAD) + 1;
	x += text_draw(win, 0, x, LEFT_W, "Expires", TEXT_RIGHT | TEXT_PAD) + 1;
	text_draw(win, 0, x, REF_W, "Reference", TEXT_LEFT);
	wattrset(win, A_NORMAL);

	if (qs->list.count == 0) {
		const char *msg = qs->failed ? "The bank transfers could not be read; F5 tries again."
		                  : !qs->loaded ? "Reading the bank transfers..."
		                  : "No bank transfer is waiting. New ones show up here by themselves.";

		text_draw(win, 2, 2, w - 4, msg, TEXT_LEFT);
		return;
	}
	/* Keep the selection in view, and the view full after a resize. */
	if (qs->selected < qs->top)
		qs->top = qs->selected;
	if (qs->selected >= qs->top + (size_t)qs->visible)
		qs->top = qs->selected - (size_t)qs->visible + 1;
	if (qs->list.count >= (size_t)qs->visible && qs->top + (size_t)qs->visible > qs->list.count)
		qs->top = qs->list.count - (size_t)qs->visible;
	for (int row = 0; row < qs->visible && qs->top + (size_t)row < qs->list.count; row++)
		draw_row(qs, win, 1 + row, qs->top + (size_t)row, email_w, now_us);
}

/* The decision target of a listed order (its reference once known). */
static void
target_of(const struct queue_screen *qs, const struct db_staff_order *o, struct decide_target *t)
{
	const char *ref = ref_of(qs, o->order_id);

	memset(t, 0, sizeof *t);
	memcpy(t->order_id, o->order_id, DB_UUID_SIZE);
	if (ref)
		snprintf(t->reference, sizeof t->reference, "%s", ref);
	else
		snprintf(t->reference, sizeof t->reference, "order %.8s", o->order_id);
	snprintf(t->email, sizeof t->email, "%s", o->customer_email);
	t->total_cents = o->total_cents;
}

/* Where ORDER_ID is among the tags, or -1. */
static ssize_t
tag_index(const struct queue_screen *qs, const char *order_id)
{
	for (size_t i = 0; i < qs->ntagged; i++)
		if (strcmp(qs->tagged[i].order_id, order_id) == 0)
			return (ssize_t)i;
	return -1;
}

/* Space: tag the selected order, or untag it. */
static void
toggle_tag(struct queue_screen *qs)
{
	ssize_t at;

	if (qs->selected >= qs->list.count)
		return;
	at = tag_index(qs, qs->list.items[qs->selected].order_id);
	if (at >= 0) {
		qs->tagged[at] = qs->tagged[--qs->ntagged];
	} else {
		qs->tagged = xrealloc(qs->tagged, (qs->ntagged + 1) * sizeof *qs->tagged);
		target_of(qs, &qs->list.items[qs->selected], &qs->tagged[qs->ntagged++]);
	}
	if (qs->ntagged > 0)
		tui_status(qs->base.tui, "%zu tagged %s a approves them, r rejects them, u untags",
		           qs->ntagged, text_glyph("\u00b7", "-"));
	else
		tui_status(qs->base.tui, "No order is tagged.");
}

/* Orders that left the queue (decided elsewhere, lapsed) lose their tag:
 * a batch acts only on what is on the screen. Late references fill in. */
static void
prune_tags(struct queue_screen *qs)
{
	size_t kept = 0;

	for (size_t i = 0; i < qs->ntagged; i++)
		for (size_t j = 0; j < qs->list.count; j++)
			if (strcmp(qs->list.items[j].order_id, qs->tagged[i].order_id) == 0) {
				target_of(qs, &qs->list.items[j], &qs->tagged[kept++]);
				break;
			}
	qs->ntagged = kept;
}

static void
untag_all(struct queue_screen *qs)
{
	free(qs->tagged);
	qs->tagged = NULL;
	qs->ntagged = 0;
}

/* What the tagged orders come to. */
static int64_t
tagged_total(const struct queue_screen *qs)
{
	int64_t sum = 0;

	for (size_t i = 0; i < qs->ntagged; i++)
		sum += qs->tagged[i].total_cents;
	return sum;
}

/* The batch's next decision, with the one note or reason typed. */
static void
send_next_in_batch(struct queue_screen *qs)
{
	struct tui *tui = qs->base.tui;
	char *reason;
	struct db_request req;

	if (tui_readonly(tui) || tui_token(tui) == NULL)
		return;
	reason = line_edit_text(&qs->reason);
	qs->target = qs->batch[qs->batch_next++];
	db_staff_decide_request(&req, tui_token(tui), qs->target.order_id, qs->approve, reason);
	/* Replay-safe for the same reason as a single decision. */
	tui_call(tui, &qs->base, staff_tag(qs->generation, CALL_DECIDE), &req, TUI_CALL_REPLAY_SAFE,
	         qs->approve ? "Approving the tagged orders" : "Rejecting the tagged orders", done_cb);
	free(reason);
}

/* One answer of a batch: count it; after the last, say the outcome. A
 * decision that came back "already decided" by this staff member (a
 * replay after a lost answer) counts as done. */
static void
batch_answer(struct queue_screen *qs, bz_err rc, const struct db_decision *out, const char *err)
{
	struct tui *tui = qs->base.tui;
	const char *verb = qs->approve ? "Approved" : "Rejected";
	size_t failed;

	if (rc == BZ_OK) {
		qs->batch_done++;
	} else if (rc == BZ_ERR_ALREADY_DECIDED && out->decided_by_email && tui->email &&
	           strcmp(out->decided_by_email, tui->email) == 0) {
		qs->batch_done++;
	} else if (rc == BZ_ERR_ALREADY_DECIDED) {
		qs->batch_lost++;
		snprintf(qs->batch_lost_ref, sizeof qs->batch_lost_ref, "%s", qs->target.reference);
		snprintf(qs->batch_lost_by, sizeof qs->batch_lost_by, "%s",
		         out->decided_by_email ? out->decided_by_email : "the shop");
	} else if (rc == BZ_ERR_AUTH) {
		/* The session ended: the rest waits for a new log-in, untagged. */
		qs->batch_next = qs->nbatch;
	} else {
		tui_status_error(tui, "%s: not %s: %s", qs->target.reference,
		                 qs->approve ? "approved" : "rejected", err);
	}
	if (qs->batch_next < qs->nbatch)
		return;
	failed = qs->batch_next - qs->batch_done - qs->batch_lost;
	if (qs->batch_lost == 0 && failed == 0)
		tui_status(tui, "%s all %zu tagged orders.", verb, qs->batch_done);
	else if (qs->batch_lost > 0)
		tui_status_error(tui, "%s %zu of %zu; %zu decided by someone else first (%s by %s)%s.",
		                 verb, qs->batch_done, qs->nbatch, qs->batch_lost, qs->batch_lost_ref,
		                 qs->batch_lost_by, failed ? ", others failed" : "");
	else
		tui_status_error(tui, "%s %zu of %zu; %zu failed (F5, then tag them again).", verb,
		                 qs->batch_done, qs->nbatch, failed);
}
