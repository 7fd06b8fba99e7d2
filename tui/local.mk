## tui/: the only code that talks to ncurses. A convenience library.
noinst_LIBRARIES += tui/libtui.a
tui_libtui_a_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
tui_libtui_a_SOURCES = \
	tui/tui.h tui/manager.h tui/screen_manager.c \
	tui/calls.c tui/session.c tui/modal.c \
	tui/screens.h tui/cart_add.c \
	tui/screen.h tui/screens.c \
	tui/screen_catalog.c tui/screen_product.c \
	tui/screen_login.c \
	tui/screen_cart.c tui/screen_checkout.c tui/checkout_pay.c tui/checkout_screen.h \
	tui/screen_order.c \
	tui/screen_orders.c tui/screen_wallet.c \
	tui/console_screens.c \
	tui/screen_staff_queue.c tui/screen_staff_live.c \
	tui/staff_order_detail.c tui/staff_order_detail.h \
	tui/screen_staff_wallets.c tui/screen_staff_locks.c tui/screen_staff_phone.c \
	tui/screen_staff_promos.c tui/sparkline.c tui/sparkline.h tui/screen_staff_health.c \
	tui/crt.c tui/crt.h \
	tui/key.h \
	tui/text.c tui/text.h \
	tui/stock.c tui/stock.h \
	tui/line_edit.c tui/line_edit.h
# The console's Outbox view (0021; o on the Health screen).
tui_libtui_a_SOURCES += tui/screen_staff_outbox.c
# The console's Stock screen (F9, 0018).
tui_libtui_a_SOURCES += tui/screen_staff_stock.c
# The console's Race lab (F12): the race lab's engine (race/) on a thread.
tui_libtui_a_SOURCES += tui/screen_race_lab.c tui/race_lab_run.c tui/race_lab_run.h
# s and p in the Race lab: save a failing round, replay a case (race/case_file.h).
tui_libtui_a_SOURCES += tui/race_lab_replay.c tui/race_lab_replay.h
# The Race lab's live lock view (bazar race --watch-locks in the console).
tui_libtui_a_SOURCES += tui/race_lab_locks.c tui/race_lab_locks.h
tui_libtui_a_CFLAGS += -pthread
