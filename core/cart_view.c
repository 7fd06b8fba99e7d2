/* The cart screen's view-model; see cart_view.h. */
#include "config.h"
#include "core/cart_view.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

/* Bytes of a product name quoted in a sentence (cut on a character). */
#define NAME_IN_SENTENCE 60

static bool limits_ok(const struct cart_limits *limits);
static enum cart_line_flag flag_of(const struct cart_view_line *line);
static void short_name(const char *name, char out[NAME_IN_SENTENCE + 1]);
static void free_lines(struct cart_view_line *lines, size_t count);
static bz_err check_source(const struct cart_view_source *src, size_t i,
                           char id[UUID_BUF_SIZE], char *err, size_t errlen);
static void update_checkout(struct cart_view *v);
static bz_err refuse(bz_err rc, char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static bz_err refuse_stock(const struct cart_view_line *line, char *why, size_t whylen);
static bz_err refuse_limit(const struct cart_view *v, const struct cart_view_line *line,
                           char *why, size_t whylen);

/* Whether both limits are in the range cart_set_limits accepts. */
static bool
limits_ok(const struct cart_limits *limits)
{
	return limits->max_quantity >= 1 && limits->max_quantity <= CART_LIMIT_CEILING &&
	       limits->max_lines >= 1 && limits->max_lines <= CART_LIMIT_CEILING;
}

/* Withdrawn first (nothing else can be done with it), then stock. */
static enum cart_line_flag
flag_of(const struct cart_view_line *line)
{
	if (!line->is_active)
		return CART_LINE_WITHDRAWN;
	if (line->available <= 0)
		return CART_LINE_SOLD_OUT;
	if (line->available < line->quantity)
		return CART_LINE_SHORT;
	return CART_LINE_OK;
}

/* NAME cut to fit a sentence, never inside a UTF-8 sequence. */
static void
short_name(const char *name, char out[NAME_IN_SENTENCE + 1])
{
	size_t n = strlen(name);

	if (n > NAME_IN_SENTENCE) {
		n = NAME_IN_SENTENCE;
		/* Back off continuation bytes (10xxxxxx) and the lead byte
		 * whose sequence they would have finished. */
		while (n > 0 && ((unsigned char)name[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out, name, n);
	out[n] = '\0';
}

/* Free COUNT lines and the array. */
static void
free_lines(struct cart_view_line *lines, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(lines[i].name);
		free(lines[i].category);
	}
	free(lines);
}

/* Snprintf WHY and return RC: every refusal goes through here. */
static bz_err
refuse(bz_err rc, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* "Celeste is sold out." or "Only 2 left of Celeste." */
static bz_err
refuse_stock(const struct cart_view_line *line, char *why, size_t whylen)
{
	char name[NAME_IN_SENTENCE + 1];

	short_name(line->name, name);
	if (line->available <= 0)
		return refuse(BZ_ERR_OUT_OF_STOCK, why, whylen, "%s is sold out.", name);
	return refuse(BZ_ERR_OUT_OF_STOCK, why, whylen, "Only %lld left of %s.",
	              (long long)line->available, name);
}

/* "At most 10 per product (you have 10 of Celeste)." */
static bz_err
refuse_limit(const struct cart_view *v, const struct cart_view_line *line, char *why,
             size_t whylen)
{
	char name[NAME_IN_SENTENCE + 1];

	short_name(line->name, name);
	return refuse(BZ_ERR_LIMIT_REACHED, why, whylen, "At most %d per product (you have %d of %s).",
	              v->limits.max_quantity, line->quantity, name);
}

void
cart_view_init(struct cart_view *v, const struct cart_limits *limits)
{
	memset(v, 0, sizeof *v);
	if (limits != NULL && limits_ok(limits))
		v->limits = *limits;
	else
		cart_limits_default(&v->limits);
	v->version = CART_VERSION_UNKNOWN;
	update_checkout(v);
}

void
cart_view_clear(struct cart_view *v)
{
	struct cart_limits limits = v->limits;

	free_lines(v->lines, v->count);
	cart_view_init(v, &limits);
}

/* Line I of the server's answer is one the view can show; its id in
 * canonical form into ID. */
static bz_err
check_source(const struct cart_view_source *src, size_t i, char id[UUID_BUF_SIZE], char *err,
             size_t errlen)
{
	if (!uuid_canonical(src->product_id, id))
		return refuse(BZ_ERR_INVALID_INPUT, err, errlen, "cart line %zu has no valid product id", i + 1);
	if (src->quantity < 1)
		return refuse(BZ_ERR_INVALID_INPUT, err, errlen, "cart line %zu has quantity %d", i + 1,
		              src->quantity);
	if (src->unit_price_cents < 0 || src->line_total_cents < 0)
		return refuse(BZ_ERR_INVALID_INPUT, err, errlen, "cart line %zu has a negative price",
		              i + 1);
	return BZ_OK;
}

bz_err
cart_view_load(struct cart_view *v, int64_t version, const struct cart_view_source *src,
               size_t count, char *err, size_t errlen)
{
	struct cart_view_line *lines = NULL;
	char keep_id[UUID_BUF_SIZE] = "";
	bz_cents subtotal = 0;
	int64_t items = 0;
	size_t keep_index = v->selected;
	bz_err rc = BZ_OK;

	if (version < 0)
		return refuse(BZ_ERR_INVALID_INPUT, err, errlen, "the cart version %lld is not valid",
		              (long long)version);
	if (count > 0 && src == NULL)
		return refuse(BZ_ERR_INVALID_INPUT, err, errlen, "no cart lines given");
	if (v->selected < v->count)
		memcpy(keep_id, v->lines[v->selected].product_id, sizeof keep_id);
	if (count > 0)
		lines = xcalloc(count, sizeof *lines);
	for (size_t i = 0; i < count; i++) {
		struct cart_view_line *line = &lines[i];

		rc = check_source(&src[i], i, line->product_id, err, errlen);
		if (rc != BZ_OK)
			goto fail;
		for (size_t j = 0; j < i; j++)
			if (strcmp(lines[j].product_id, line->product_id) == 0) {
				rc = refuse(BZ_ERR_INVALID_INPUT, err, errlen,
				            "cart lines %zu and %zu are the same product", j + 1, i + 1);
				goto fail;
			}
		line->name = xstrdup(src[i].name ? src[i].name : "");
		line->category = xstrdup(src[i].category ? src[i].category : "");
		line->unit_price_cents = src[i].unit_price_cents;
		line->quantity = src[i].quantity;
		line->line_total_cents = src[i].line_total_cents;
		line->available = src[i].available > 0 ? src[i].available : 0;
		line->is_active = src[i].is_active;
		line->flag = flag_of(line);
		if (__builtin_add_overflow(subtotal, line->line_total_cents, &subtotal) ||
		    __builtin_add_overflow(items, (int64_t)line->quantity, &items)) {
			rc = refuse(BZ_ERR_OVERFLOW, err, errlen, "the cart's total does not fit");
			goto fail;
		}
	}
	free_lines(v->lines, v->count);
	v->lines = lines;
	v->count = count;
	v->version = version;
	v->subtotal_cents = subtotal;
	v->items = items;
	v->flagged = 0;
	for (size_t i = 0; i < count; i++)
		if (lines[i].flag != CART_LINE_OK)
			v->flagged++;
	/* The same product if it is still there, else the same row. */
	v->selected = keep_index;
	for (size_t i = 0; keep_id[0] && i < count; i++)
		if (strcmp(lines[i].product_id, keep_id) == 0) {
			v->selected = i;
			break;
		}
	cart_view_select(v, v->selected);
	update_checkout(v);
	return BZ_OK;
fail:
	free_lines(lines, count);
	return rc;
}

/* can_checkout and why_not from the lines: the first line that needs a
 * look is named, and how many more do. */
static void
update_checkout(struct cart_view *v)
{
	const struct cart_view_line *first = NULL;
	size_t need = 0;
	char name[NAME_IN_SENTENCE + 1], more[64] = "";

	v->why_not[0] = '\0';
	v->can_checkout = false;
	if (v->count == 0) {
		snprintf(v->why_not, sizeof v->why_not, "Your cart is empty.");
		return;
	}
	for (size_t i = 0; i < v->count; i++)
		if (v->lines[i].flag != CART_LINE_OK || v->lines[i].quantity > v->limits.max_quantity) {
			if (first == NULL)
				first = &v->lines[i];
			need++;
		}
	if (first == NULL) {
		v->can_checkout = true;
		return;
	}
	short_name(first->name, name);
	if (need > 1)
		snprintf(more, sizeof more, " (and %zu more line%s)", need - 1, need - 1 == 1 ? "" : "s");
	switch (first->flag) {
	case CART_LINE_WITHDRAWN:
		snprintf(v->why_not, sizeof v->why_not, "%s is no longer sold: remove it to check out%s.",
		         name, more);
		break;
	case CART_LINE_SOLD_OUT:
		snprintf(v->why_not, sizeof v->why_not, "%s is sold out: remove it to check out%s.", name,
		         more);
		break;
	case CART_LINE_SHORT:
		snprintf(v->why_not, sizeof v->why_not,
		         "Only %lld left of %s: lower it to check out%s.",
		         (long long)first->available, name, more);
		break;
	case CART_LINE_OK:
		snprintf(v->why_not, sizeof v->why_not,
		         "At most %d per product: lower %s to check out%s.", v->limits.max_quantity,
		         name, more);
		break;
	}
}

const struct cart_view_line *
cart_view_selected(const struct cart_view *v)
{
	return v->selected < v->count ? &v->lines[v->selected] : NULL;
}

void
cart_view_select(struct cart_view *v, size_t index)
{
	if (v->count == 0)
		v->selected = 0;
	else
		v->selected = index < v->count ? index : v->count - 1;
}

void
cart_view_move(struct cart_view *v, long delta)
{
	if (delta < 0 && (size_t)-(delta + 1) >= v->selected)
		cart_view_select(v, 0);
	else if (delta < 0)
		cart_view_select(v, v->selected - (size_t)-delta);
	else if ((size_t)delta >= v->count)
		cart_view_select(v, v->count);
	else
		cart_view_select(v, v->selected + (size_t)delta);
}

const struct cart_view_line *
cart_view_find(const struct cart_view *v, const char *product_id)
{
	char id[UUID_BUF_SIZE];

	if (!uuid_canonical(product_id, id))
		return NULL;
	for (size_t i = 0; i < v->count; i++)
		if (strcmp(v->lines[i].product_id, id) == 0)
			return &v->lines[i];
	return NULL;
}

bz_err
cart_view_plan(const struct cart_view *v, size_t index, enum cart_change change, int value,
               int *new_quantity, char *why, size_t whylen)
{
	const struct cart_view_line *line;
	char name[NAME_IN_SENTENCE + 1];
	/* Wider than int: one more than INT_MAX must still compare as more. */
	long long want;

	if (index >= v->count)
		return refuse(BZ_ERR_INVALID_INPUT, why, whylen, "Select a line of the cart first.");
	line = &v->lines[index];
	short_name(line->name, name);
	switch (change) {
	case CART_CHANGE_REMOVE:
		want = 0;
		break;
	case CART_CHANGE_MORE:
		want = (long long)line->quantity + 1;
		break;
	case CART_CHANGE_LESS:
		if (line->quantity <= 1)
			return refuse(BZ_ERR_INVALID_INPUT, why, whylen,
			              "1 is the least: remove the line to drop %s.", name);
		want = line->quantity - 1;
		break;
	case CART_CHANGE_SET:
		if (value < 0)
			return refuse(BZ_ERR_INVALID_INPUT, why, whylen, "The quantity cannot be negative.");
		want = value;
		break;
	default:
		return refuse(BZ_ERR_INVALID_INPUT, why, whylen, "That is not a change to the cart.");
	}
	if (want == 0 || want == line->quantity) {
		if (new_quantity != NULL)
			*new_quantity = (int)want;
		return BZ_OK;
	}
	/* The server refuses any quantity but 0 for a withdrawn product. */
	if (!line->is_active)
		return refuse(BZ_ERR_NOT_FOUND, why, whylen, "%s is no longer sold: remove it.", name);
	if (want > v->limits.max_quantity && change == CART_CHANGE_MORE)
		return refuse_limit(v, line, why, whylen);
	if (want > v->limits.max_quantity)
		return refuse(BZ_ERR_LIMIT_REACHED, why, whylen, "At most %d per product.",
		              v->limits.max_quantity);
	/* Going up needs the stock; going down is how a short line is fixed. */
	if (want > line->quantity && want > line->available)
		return refuse_stock(line, why, whylen);
	/* Here WANT is at most max_quantity, so it fits an int. */
	if (new_quantity != NULL)
		*new_quantity = (int)want;
	return BZ_OK;
}

bz_err
cart_view_plan_add(const struct cart_view *v, const char *product_id, const char *name,
                   int64_t stock, int *new_quantity, char *why, size_t whylen)
{
	const struct cart_view_line *line;
	char shown[NAME_IN_SENTENCE + 1];

	if (!uuid_is_valid(product_id))
		return refuse(BZ_ERR_INVALID_INPUT, why, whylen, "This product cannot be found.");
	line = cart_view_find(v, product_id);
	if (line != NULL)
		return cart_view_plan(v, (size_t)(line - v->lines), CART_CHANGE_MORE, 0, new_quantity,
		                      why, whylen);
	short_name(name ? name : "This product", shown);
	if (v->count >= (size_t)v->limits.max_lines)
		return refuse(BZ_ERR_LIMIT_REACHED, why, whylen,
		              "Your cart can hold at most %d different products.", v->limits.max_lines);
	if (stock != -1 && stock <= 0)
		return refuse(BZ_ERR_OUT_OF_STOCK, why, whylen, "%s is sold out.", shown);
	if (new_quantity != NULL)
		*new_quantity = 1;
	return BZ_OK;
}

void
cart_view_flag_text(const struct cart_view_line *line, int64_t low, char *buf, size_t buflen)
{
	switch (line->flag) {
	case CART_LINE_WITHDRAWN:
		snprintf(buf, buflen, "no longer sold");
		return;
	case CART_LINE_SOLD_OUT:
		snprintf(buf, buflen, "sold out");
		return;
	case CART_LINE_SHORT:
		snprintf(buf, buflen, "only %lld left", (long long)line->available);
		return;
	case CART_LINE_OK:
		break;
	}
	if (line->available <= low)
		snprintf(buf, buflen, "%lld left", (long long)line->available);
	else
		snprintf(buf, buflen, "in stock");
}

const char *
cart_line_flag_name(enum cart_line_flag flag)
{
	switch (flag) {
	case CART_LINE_OK:        return "ok";
	case CART_LINE_SOLD_OUT:  return "sold_out";
	case CART_LINE_SHORT:     return "short";
	case CART_LINE_WITHDRAWN: return "withdrawn";
	}
	return "?";
}
