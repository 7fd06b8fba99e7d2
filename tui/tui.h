/* The terminal storefront: the one entry point cli/ calls. */
#ifndef BAZAR_TUI_TUI_H
#define BAZAR_TUI_TUI_H

struct db_conn;

/* Run the storefront on CLIENT (a kiosk-role connection, borrowed: the
 * caller closes it) until the user quits. WHERE_TEXT is shown in the
 * header after "Bazar — ", e.g. "bazar_client@bazar (private cluster) ·
 * schema 0006". Database errors, a lost connection included, are shown on
 * the status line and never end the program. Returns an exit status: 0
 * after a normal quit, 1 when the terminal cannot be used (a sentence
 * went to stderr). */
int tui_run_storefront(struct db_conn *client, const char *where_text);

#endif
