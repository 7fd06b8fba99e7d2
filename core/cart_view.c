/* Placeholder: being written (issue 4). */
#include "config.h"
#include "core/cart_view.h"
