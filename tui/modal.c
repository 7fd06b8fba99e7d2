/* The manager's own questions, asked on the status line over any
 * screen: "quit with a full cart?" and, in kiosk mode, the staff PIN that
 * lets one leave. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "tui/manager.h"
#include "tui/text.h"

/* Wrong PINs before the prompt closes (the next try opens a new one). */
#define PIN_TRIES 3

static bool pin_matches(const char *typed, const char *pin);

/* Compare without an early exit, so the time taken says nothing about
 * how many leading digits were right. */
static bool
pin_matches(const char *typed, const char *pin)
{
	size_t lt = strlen(typed), lp = strlen(pin);
	unsigned diff = (unsigned)(lt ^ lp);

	for (size_t i = 0; i < lp; i++)
		diff |= (unsigned)(unsigned char)pin[i] ^ (unsigned)(unsigned char)(i < lt ? typed[i] : 0);
	return diff == 0 && lp > 0;
}

void
modal_open(struct tui *tui, enum tui_modal modal)
{
	tui->modal = modal;
	line_edit_wipe(&tui->modal_edit);
	tui->modal_edit.masked = modal == MODAL_KIOSK_PIN;
	tui->modal_edit.max = 32;
}

int
modal_request_quit(struct tui *tui)
{
	if (tui->opt.kiosk) {
		modal_open(tui, MODAL_KIOSK_PIN);
		return SR_REDRAW;
	}
	if (tui->cart_lines > 0) {
		modal_open(tui, MODAL_CONFIRM_QUIT);
		return SR_REDRAW;
	}
	return SR_QUIT;
}

void
modal_draw(struct tui *tui, WINDOW *win, int width)
{
	char *q;
	int qw;

	if (tui->modal == MODAL_CONFIRM_QUIT)
		q = xasprintf("Your cart has %d line%s (it is kept for next time). Quit? y/n ",
		              tui->cart_lines, tui->cart_lines == 1 ? "" : "s");
	else
		q = xasprintf("Staff PIN to leave the kiosk (Esc: stay%s): ",
		              tui->pin_failures ? "; wrong PIN, try again" : "");
	wattrset(win, crt_attr(COLOR_PROMPT));
	mvwhline(win, 0, 0, ' ', width);
	qw = text_draw(win, 0, 0, width, q, TEXT_LEFT);
	wattrset(win, A_NORMAL);
	if (tui->modal == MODAL_KIOSK_PIN && width - qw > 4)
		line_edit_draw(&tui->modal_edit, win, 0, qw, width - qw > 20 ? 20 : width - qw);
	free(q);
}

int
modal_key(struct tui *tui, const struct tui_key *key)
{
	char *typed;
	bool ok;

	if (tui->modal == MODAL_CONFIRM_QUIT) {
		if (key_is_char(key, L'y') || key_is_char(key, L'Y'))
			return SR_QUIT;
		tui->modal = MODAL_NONE;
		return SR_HANDLED | SR_REDRAW;
	}
	switch (line_edit_key(&tui->modal_edit, key)) {
	case LINE_EDIT_CANCEL:
		tui->modal = MODAL_NONE;
		line_edit_wipe(&tui->modal_edit);
		tui->pin_failures = 0;
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_ACCEPT:
		typed = line_edit_text(&tui->modal_edit);
		ok = tui->opt.exit_pin != NULL && pin_matches(typed, tui->opt.exit_pin);
		memset(typed, 0, strlen(typed));
		free(typed);
		line_edit_wipe(&tui->modal_edit);
		if (ok)
			return SR_QUIT;
		if (++tui->pin_failures >= PIN_TRIES) {
			tui->modal = MODAL_NONE;
			tui->pin_failures = 0;
			tui_status_error(tui, "Wrong PIN. Ask a member of staff to close the kiosk.");
		}
		return SR_HANDLED | SR_REDRAW;
	case LINE_EDIT_REFUSED:
		tui_refused(tui, &tui->modal_edit);
		return SR_HANDLED | SR_REDRAW;
	default:
		return SR_HANDLED | SR_REDRAW;
	}
}
