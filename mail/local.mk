## mail/: the mail worker (issue 7): transports (the Resend-compatible
## HTTP API with libcurl, or RFC 5322 files), configuration, and the loop
## that claims outbox rows and records each outcome. A convenience library
## used by "bazar mail" and the tests.
noinst_LIBRARIES += mail/libmail.a
mail_libmail_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBCURL_CFLAGS) $(CJSON_CFLAGS)
mail_libmail_a_SOURCES = \
	mail/mail.h mail/config.c mail/resend.c mail/file_sink.c \
	mail/worker.c mail/worker.h
