/* Placeholder: being written (issue 4). */
#ifndef BAZAR_CORE_FORM_H
#define BAZAR_CORE_FORM_H
#endif
