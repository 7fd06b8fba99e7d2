/* The storefront's binding table: every screen, one line each (the first
 * is the one it opens on and returns to on log-out), the F-keys that
 * reach them from anywhere, and the bar's navigation keys. */
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

static const struct screen_ops *const storefront_screens[] = {
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

static const struct tui_nav storefront_nav[] = {
	{ 2, "catalog" }, { 3, "cart" }, { 4, "orders" }, { 6, "wallet" }, { 0, NULL },
};

static const struct screen_key storefront_keys_logged_in[] = {
	{ "F2", "Shop", "The catalog", true },
	{ "F3", "Cart", "Your cart, and checkout from there", true },
	{ "F4", "Orders", "Your orders and their codes", true },
	{ "F6", "Wallet", "Your wallet balance and its movements", true },
	{ "F7", "Logout", "Log out of this terminal", true },
	{ "F10", "Quit", "Leave Bazar (also q)", true },
	{ "F5", "Refresh", "Load this screen again from the database", false },
	{ "Esc", "Stop", "While a request runs: stop waiting for it", false },
	{ "Ctrl-L", "Redraw", "Repaint the whole terminal", false },
	{ NULL, NULL, NULL, false },
};

static const struct screen_key storefront_keys_logged_out[] = {
	{ "F2", "Shop", "The catalog", true },
	{ "F3", "Cart", "Your cart (log in first)", true },
	{ "F4", "Orders", "Your orders (log in first)", true },
	{ "F6", "Wallet", "Your wallet (log in first)", true },
	{ "F7", "Log in", "Log in or create an account", true },
	{ "F10", "Quit", "Leave Bazar (also q)", true },
	{ "F5", "Refresh", "Load this screen again from the database", false },
	{ "Esc", "Stop", "While a request runs: stop waiting for it", false },
	{ "Ctrl-L", "Redraw", "Repaint the whole terminal", false },
	{ NULL, NULL, NULL, false },
};

const struct tui_app tui_storefront_app = {
	.title = "Bazar",
	.screens = storefront_screens,
	.nav = storefront_nav,
	.keys_logged_in = storefront_keys_logged_in,
	.keys_logged_out = storefront_keys_logged_out,
	.staff_only = false,
};
