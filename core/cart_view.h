/* Placeholder: being written (issue 4). */
#ifndef BAZAR_CORE_CART_VIEW_H
#define BAZAR_CORE_CART_VIEW_H
#endif
