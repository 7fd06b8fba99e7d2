/* Screens that other screens open with an argument. (tui_show opens a
 * screen as it was; these open it on something.) */
#ifndef BAZAR_TUI_SCREENS_H
#define BAZAR_TUI_SCREENS_H

struct tui;
struct screen;

/* The product detail screen on PRODUCT_ID (screen_product.c). */
void product_screen_open(struct tui *tui, const char *product_id);

/* One order with its items, status and codes (screen_order.c): after a
 * checkout, and from My orders. */
void order_screen_open(struct tui *tui, const char *order_id);

/* Add one of PRODUCT_ID to the shopper's cart (the server's cart: read
 * its version, then set the new quantity against it; a cart changed
 * meanwhile is read again). NAME is for the status line. Logs in first
 * when nobody is logged in (cart_add.c). */
void tui_cart_add(struct tui *tui, const char *product_id, const char *name);

/* The console's phone order for CUSTOMER_EMAIL (screen_staff_phone.c):
 * a fresh order unless it is the customer already on that screen. */
void staff_phone_open(struct tui *tui, const char *customer_email);

#endif
