/* The default action of "bazar": the terminal storefront; and what it
 * shares with "bazar console". */
#ifndef BAZAR_CLI_STOREFRONT_H
#define BAZAR_CLI_STOREFRONT_H

#include "db/db.h"
#include "tui/tui.h"

/* argv[0] is the program; options start at argv[1]. Returns an exit code. */
int storefront_main(int argc, char **argv);

/* Start the private cluster when it is the database in use, connect as
 * ROLE (labelled LABEL), refuse a connection that holds more than the
 * API, check the schema version and the terminal, and run OPT's app
 * until the user quits. No core files. Returns an exit code. */
int terminal_main(enum db_role role, const char *label, struct tui_options *opt);

#endif
