/* The default action of "bazar": the terminal storefront. */
#ifndef BAZAR_CLI_STOREFRONT_H
#define BAZAR_CLI_STOREFRONT_H

/* argv[0] is the program; options start at argv[1]. Returns an exit code. */
int storefront_main(int argc, char **argv);

#endif
