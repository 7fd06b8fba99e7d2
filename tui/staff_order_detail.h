/* The console's order detail, shared by the Bank transfers and Orders
 * screens: the order's head (customer, amounts, promo, payment reference,
 * decision), its items, the transfer proofs' metadata with an export of a
 * picture to a file, and the codes revealed on request (both audited on
 * the server). A screen embeds one struct staff_detail, shows it instead
 * of its list while it is open, and routes to it the keys, the drawing
 * and the answers whose tag staff_detail_owns. Plus the formatting both
 * screens share (ages, countdowns, status words). */
#ifndef BAZAR_TUI_STAFF_ORDER_DETAIL_H
#define BAZAR_TUI_STAFF_ORDER_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/api.h"
#include "tui/line_edit.h"
#include "tui/screen.h"

/* Tags with this bit are the detail's; a screen's own tags stay below it
 * (staff_tag builds both). */
#define STAFF_DETAIL_TAG 0x100

struct staff_detail {
	struct screen *owner;          /* borrowed: the screen it is drawn on */
	tui_done_fn done;              /* the owner's callback, which routes back here */
	unsigned generation;           /* bumped on open, close, forget: older answers are dropped */
	bool open;
	char order_id[DB_UUID_SIZE];
	struct db_staff_order_detail head;
	bool loaded;                   /* head and items arrived */
	bool reading;                  /* a read of head, proofs and history is queued */
	bool announce;                 /* that read is a poll: say when the status moved */
	struct db_staff_proofs proofs;
	struct db_order_history history; /* oldest first, read with the head */
	size_t proof_sel;              /* the proof 'e' exports */
	struct db_staff_codes codes;   /* secrets: scrubbed on close */
	bool codes_revealed;
	int scroll;
	bool exporting;                /* the file-path prompt is open */
	struct line_edit path;
	char *export_path;             /* owned: where the picture on its way goes */
	int64_t next_read_ms;          /* live: when to read an open undecided order again */
};

/* A tag for KIND (< STAFF_DETAIL_TAG) of generation GENERATION. */
int staff_tag(unsigned generation, int kind);
/* The kind a tag carries, and whether it is of GENERATION (answers of an
 * older generation are for data since forgotten). */
int staff_tag_kind(int tag);
bool staff_tag_current(int tag, unsigned generation);

/* Attach D to OWNER, whose DONE callback hands the detail's answers to
 * staff_detail_done. */
void staff_detail_init(struct staff_detail *d, struct screen *owner, tui_done_fn done);

/* Open the detail on ORDER_ID and read it. */
void staff_detail_open(struct staff_detail *d, const char *order_id);

/* Close it: revealed codes are scrubbed, answers still coming dropped. */
void staff_detail_close(struct staff_detail *d);

/* Read head, items and proofs again (a decision, a change seen in a list),
 * unless a read is already queued; quietly (the caller says what
 * happened). */
void staff_detail_refresh(struct staff_detail *d);

/* Every ~100 ms from the owner's tick: an open order that awaits payment
 * is read again every 2 s, when none of the owner's calls is pending. */
void staff_detail_tick(struct staff_detail *d, int64_t now_ms);

/* The staff member logged out: close and forget the typed path too. */
void staff_detail_forget(struct staff_detail *d);

/* TAG is one of the detail's calls. */
bool staff_detail_owns(int tag);

/* An answer for the detail (the owner's DONE passes it on). */
void staff_detail_done(struct staff_detail *d, int tag, struct db_request *req);

/* Draw the detail into the body WIN. */
void staff_detail_draw(struct staff_detail *d, WINDOW *win);

/* The export prompt on the status line; false when it is closed. */
bool staff_detail_draw_prompt(struct staff_detail *d, WINDOW *win, int width);

/* Keys while the detail is open: scrolling, c (reveal the codes), e
 * (export the selected proof's picture), Tab (next proof), Esc (close).
 * SR_IGNORED for the rest (the owner's and the manager's). */
int staff_detail_key(struct staff_detail *d, const struct tui_key *key);

/* The detail's keys for the bar and help; WITH_DECISION adds a and r
 * (the Bank transfers screen decides from the detail too). */
const struct screen_key *staff_detail_keys(const struct staff_detail *d, bool with_decision);

/* ---- Formatting both screens share ---- */

/* The wall clock in microseconds since the epoch (the server's times). */
int64_t staff_now_us(void);

/* A duration as "45s", "12m", "3h05m", "2d04h" (rounded down; negative
 * gives "0s"). */
void staff_format_span(int64_t span_us, char *buf, size_t len);

/* US as "14:03:05" when it is today, else "2024-03-01 14:03:05"
 * (text_time: local time, "?" for none). */
void staff_format_clock(int64_t us, char *buf, size_t len);

/* An order's status in words for staff, and its colour: "awaiting",
 * "fulfilled", "rejected", "expired", "cancelled", ... */
const char *staff_status_words(const char *status, const char *decision_reason,
                               const char *decided_by_email, enum crt_color *color);

/* "wallet" or "bank transfer" ("bank" when SHORT). */
const char *staff_method_words(const char *method, bool short_form);

#endif
