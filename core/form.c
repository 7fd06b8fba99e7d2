/* Placeholder: being written (issue 4). */
#include "config.h"
#include "core/form.h"
