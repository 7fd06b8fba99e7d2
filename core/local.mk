## core/: the shop's rules, no I/O. A convenience library.
noinst_LIBRARIES += core/libcore.a
core_libcore_a_SOURCES = \
	core/error.c core/error.h \
	core/log.c core/log.h \
	core/money.c core/money.h \
	core/parse.c core/parse.h \
	core/xalloc.c core/xalloc.h \
	core/migration_name.c core/migration_name.h \
	core/uuid.c core/uuid.h \
	core/retry.c core/retry.h \
	core/promo.c core/promo.h \
	core/validate.c core/validate.h \
	core/cart.c core/cart.h \
	core/checkout.c core/checkout.h \
	core/submit_guard.c core/submit_guard.h \
	core/proof.c core/proof.h \
	core/form.c core/form.h \
	core/cart_view.c core/cart_view.h \
	core/promo_form.c core/promo_form.h \
	core/code_file.c core/code_file.h \
	core/mail_policy.c core/mail_policy.h \
	core/resend_json.c core/resend_json.h
core_libcore_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
