/* Terminal setup, colour scheme and fatal-signal handling; see crt.h. */
#include "config.h"
#include "tui/crt.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One entry per meaning: the colour pair when the terminal has colours,
 * and the attributes that carry the same meaning without them. -1 is the
 * terminal's own default colour (use_default_colors), or white on black
 * where that is not available. */
struct crt_scheme {
	short fg, bg;
	attr_t color_attr;  /* added to the pair */
	attr_t mono_attr;   /* the whole look in monochrome */
};

static const struct crt_scheme scheme[CRT_COLOR_COUNT] = {
	[COLOR_DEFAULT]       = { -1,          -1,          A_NORMAL, A_NORMAL },
	[COLOR_TITLE]         = { COLOR_BLACK, COLOR_CYAN,  A_BOLD,   A_REVERSE | A_BOLD },
	[COLOR_COLUMN_HEADER] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_REVERSE },
	[COLOR_CATEGORY]      = { COLOR_CYAN,  -1,          A_BOLD,   A_BOLD },
	[COLOR_PRICE]         = { COLOR_GREEN, -1,          A_NORMAL, A_NORMAL },
	[COLOR_STOCK_OK]      = { -1,          -1,          A_NORMAL, A_NORMAL },
	[COLOR_STOCK_LOW]     = { COLOR_YELLOW, -1,         A_BOLD,   A_BOLD | A_UNDERLINE },
	[COLOR_SOLD_OUT]      = { COLOR_RED,   -1,          A_BOLD,   A_DIM },
	[COLOR_SELECTED]      = { COLOR_BLACK, COLOR_CYAN,  A_NORMAL, A_REVERSE },
	[COLOR_STATUS]        = { -1,          -1,          A_NORMAL, A_NORMAL },
	[COLOR_ERROR]         = { COLOR_WHITE, COLOR_RED,   A_BOLD,   A_BOLD | A_REVERSE },
	[COLOR_PROMPT]        = { COLOR_YELLOW, -1,         A_BOLD,   A_BOLD },
	[COLOR_FKEY]          = { -1,          -1,          A_BOLD,   A_BOLD },
	[COLOR_FKEY_LABEL]    = { COLOR_BLACK, COLOR_CYAN,  A_NORMAL, A_REVERSE },
	[COLOR_HELP]          = { COLOR_WHITE, COLOR_BLUE,  A_NORMAL, A_REVERSE },
	[COLOR_LOCK_WAIT]     = { COLOR_RED,   -1,          A_BOLD,   A_BOLD },
	[COLOR_LOCK_IDLE]     = { COLOR_YELLOW, -1,         A_BOLD,   A_BOLD | A_UNDERLINE },
};

static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
                                     SIGTERM, SIGINT, SIGHUP };

/* The resolved attribute per meaning, filled once by crt_init. */
static attr_t attrs[CRT_COLOR_COUNT];
static bool mono = true;
static SCREEN *crt_screen;
/* Set while curses owns the terminal; read by the signal handler. */
static volatile sig_atomic_t crt_active;

static void crt_setup_colors(void);
static void crt_fatal_signal(int sig);
static void crt_set_signals(void (*handler)(int));

/* Choose colours or the monochrome fallback and resolve every meaning. */
static void
crt_setup_colors(void)
{
	const char *no_color = getenv("NO_COLOR");
	bool default_colors = false;

	/* https://no-color.org: present and non-empty means no colour. */
	mono = !has_colors() || (no_color != NULL && *no_color != '\0');
	if (!mono && (start_color() == ERR || COLOR_PAIRS <= CRT_COLOR_COUNT))
		mono = true;
	if (!mono)
		default_colors = use_default_colors() == OK;
	for (int i = 0; i < CRT_COLOR_COUNT; i++) {
		short fg = scheme[i].fg, bg = scheme[i].bg;

		if (mono) {
			attrs[i] = scheme[i].mono_attr;
			continue;
		}
		if (i == COLOR_DEFAULT) {
			attrs[i] = scheme[i].color_attr;
			continue;
		}
		if (!default_colors) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)i, fg, bg);
		attrs[i] = COLOR_PAIR(i) | scheme[i].color_attr;
	}
}

/* A fatal signal: give the terminal back first, so the shell the user
 * returns to is usable, then die of the same signal (SA_RESETHAND has
 * already restored the default action). endwin is not async-signal-safe,
 * but the process is ending either way and a raw terminal is worse. */
static void
crt_fatal_signal(int sig)
{
	if (crt_active) {
		crt_active = 0;
		endwin();
	}
	raise(sig);
}

/* Install HANDLER (or SIG_DFL) for every fatal signal. */
static void
crt_set_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = handler;
	/* One shot, and not blocked inside the handler, so raise() there
	 * takes the default action at once. */
	sa.sa_flags = handler == SIG_DFL ? 0 : (int)(SA_RESETHAND | SA_NODEFER);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		sigaction(fatal_signals[i], &sa, NULL);
}

bz_err
crt_init(bool kiosk, char *err, size_t errlen)
{
	if (crt_screen != NULL)
		return BZ_OK;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the storefront needs a terminal (stdin and stdout are not both one)");
		return BZ_ERR_ENVIRONMENT;
	}
	/* Wide characters and UTF-8 product names need the user's locale. */
	setlocale(LC_ALL, "");
	/* Unlike initscr, newterm returns NULL instead of exiting. */
	crt_screen = newterm(NULL, stdout, stdin);
	if (crt_screen == NULL) {
		snprintf(err, errlen, "cannot use the terminal type \"%s\" (check $TERM)",
		         getenv("TERM") ? getenv("TERM") : "");
		return BZ_ERR_ENVIRONMENT;
	}
	set_term(crt_screen);
	crt_active = 1;
	crt_set_signals(crt_fatal_signal);
	/* A kiosk takes Ctrl-C, Ctrl-Z and Ctrl-backslash as plain keys (raw), so
	 * the shopper can neither kill nor suspend it; elsewhere they keep
	 * their usual meaning. */
	if (kiosk) {
		raw();
		signal(SIGTSTP, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	} else {
		cbreak();
	}
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* Esc cancels a prompt; don't make the user wait a second for it. */
	set_escdelay(25);
	curs_set(0);
	crt_setup_colors();
	return BZ_OK;
}

void
crt_done(void)
{
	if (crt_screen == NULL)
		return;
	crt_set_signals(SIG_DFL);
	if (crt_active) {
		crt_active = 0;
		curs_set(1);
		endwin();
	}
	delscreen(crt_screen);
	crt_screen = NULL;
}

attr_t
crt_attr(enum crt_color color)
{
	if ((unsigned)color >= CRT_COLOR_COUNT)
		return A_NORMAL;
	return attrs[color];
}

bool
crt_monochrome(void)
{
	return mono;
}
