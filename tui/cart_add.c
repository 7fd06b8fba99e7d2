/* Adding to the server-side cart from the catalog and the product
 * screen. (Placeholder: being written; see issue 4.) */
#include "config.h"

#include "tui/screen.h"
#include "tui/screens.h"

void
tui_cart_add(struct tui *tui, const char *product_id, const char *name)
{
	(void)product_id;
	tui_status_error(tui, "Adding %s to the cart is not written yet.", name);
}
