/* The binding table: every screen of the program, one line each. The
 * first is the one the storefront opens on (and returns to on log-out). */
#include "config.h"
#include "tui/screen.h"

extern const struct screen_ops screen_catalog_ops;
extern const struct screen_ops screen_product_ops;
extern const struct screen_ops screen_login_ops;
extern const struct screen_ops screen_cart_ops;
extern const struct screen_ops screen_checkout_ops;
extern const struct screen_ops screen_order_ops;
extern const struct screen_ops screen_orders_ops;
extern const struct screen_ops screen_wallet_ops;

const struct screen_ops *const screen_table[] = {
	&screen_catalog_ops,
	&screen_product_ops,
	&screen_login_ops,
	&screen_cart_ops,
	&screen_checkout_ops,
	&screen_order_ops,
	&screen_orders_ops,
	&screen_wallet_ops,
	NULL,
};
