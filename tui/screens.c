/* The binding table: every screen of the program, one line each. The
 * first is the one the storefront opens on. */
#include "config.h"
#include "tui/screen.h"

extern const struct screen_ops screen_catalog_ops;

const struct screen_ops *const screen_table[] = {
	&screen_catalog_ops,
	NULL,
};
