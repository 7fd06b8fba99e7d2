/* The stock in words; see stock.h. */
#include "config.h"
#include "tui/stock.h"

#include <stdio.h>

void
stock_text(int64_t stock, char *buf, size_t len, enum crt_color *color)
{
	if (stock <= 0) {
		snprintf(buf, len, "sold out");
		*color = COLOR_SOLD_OUT;
	} else if (stock <= STOCK_LOW_MAX) {
		snprintf(buf, len, "%lld left", (long long)stock);
		*color = COLOR_STOCK_LOW;
	} else {
		snprintf(buf, len, "%lld in stock", (long long)stock);
		*color = COLOR_STOCK_OK;
	}
}
