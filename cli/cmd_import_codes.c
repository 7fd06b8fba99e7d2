/* bazar import-codes: load a file of codes for one product, streamed with
 * COPY into a staging batch and judged by the server (0018), with every
 * refused line reported by its number. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cli/command.h"
#include "core/code_file.h"
#include "core/xalloc.h"
#include "db/api.h"
#include "db/cluster.h"
#include "db/db.h"

/* Exit status when the import ran but refused at least one line. */
#define EXIT_REFUSED 3
/* The largest file read: 1,000,000 codes take about 20 MB. */
#define MAX_FILE_BYTES ((size_t)512 * 1024 * 1024)
#define PROBLEM_PAGE 10000

struct import_opts {
	const char *product;
	const char *file;
	const char *column;
	int format;              /* -1: by the file name */
	bool quiet;
};

static int cmd_import_codes_run(int argc, char **argv);
static bool read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen);
static bool staff_credentials(char *email, size_t elen, char *password, size_t plen);
static bool prompt_line(const char *label, bool echo, char *out, size_t outlen);
static bool find_product(struct db_conn *conn, const char *token, const char *key, char *id,
                         char *name, size_t namelen);
static bz_err stream_lines(struct db_conn *conn, const char *batch_id, struct code_file *f,
                           bool bar, int64_t *rows, char *err, size_t errlen);
static void draw_bar(size_t done, size_t total, int64_t lines);
static int64_t report_problems(struct db_conn *conn, const char *token, const char *batch_id);

const struct command cmd_import_codes_entry = {
	.name = "import-codes",
	.usage = "import-codes --product PRODUCT [--csv | --text] [--column NAME] [--quiet] FILE",
	.summary = "import a product's codes from a text or CSV file, every refused line by number",
	.help =
	"Loads FILE's codes for PRODUCT (its id, or its name: exactly, or a part\n"
	"only one product's name contains), as a staff member: the e-mail and\n"
	"password come from BAZAR_STAFF_EMAIL and BAZAR_STAFF_PASSWORD, else they\n"
	"are asked on the terminal. The connection is the staff role's\n"
	"(BAZAR_STAFF_URL, or the owner's server and database as bazar_staff).\n"
	"\n"
	"FILE holds one code per line, or is CSV (a name ending in .csv, or\n"
	"--csv): the code is the column named NAME (--column), else the one a\n"
	"header calls \"code\", else the first. Spaces around a code are ignored;\n"
	"CRLF line ends and a UTF-8 byte order mark are fine. Every line counts:\n"
	"blank ones too. The lines go to the server with COPY (a progress bar on\n"
	"a terminal), then the server imports the good codes in one statement and\n"
	"lists the lines it refused, by number:\n"
	"  malformed  empty, over 200 characters, control characters, not UTF-8\n"
	"  duplicate  earlier in the file (the later line is refused), or the\n"
	"             product has the code already\n"
	"An empty file, a directory, a file with NUL bytes (not text) or one of\n"
	"over 512 MiB is refused before anything is sent.\n"
	"\n"
	"Exit status: 0 every line imported; 3 the import ran and refused some\n"
	"lines (listed on stdout); 1 nothing was imported (an error on stderr);\n"
	"2 bad arguments.\n"
	"\n"
	"  --quiet   no progress bar and no list of refused lines: totals only\n",
	.run = cmd_import_codes_run,
};

static int
cmd_import_codes_run(int argc, char **argv)
{
	struct import_opts opt = { .format = -1 };
	struct db_conn *conn = NULL;
	struct db_login_out login = { 0 };
	struct db_import_batch batch = { 0 };
	struct db_import_totals totals;
	struct code_file f;
	bool file_open = false;
	char email[256], password[256], err[1024], product_id[DB_UUID_SIZE], product_name[256];
	char *buf = NULL;
	size_t len = 0;
	int64_t rows = 0;
	int rc = EXIT_FAIL;
	const char *label;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--product") == 0 && i + 1 < argc)
			opt.product = argv[++i];
		else if (strcmp(argv[i], "--column") == 0 && i + 1 < argc)
			opt.column = argv[++i];
		else if (strcmp(argv[i], "--csv") == 0)
			opt.format = CODE_FILE_CSV;
		else if (strcmp(argv[i], "--text") == 0)
			opt.format = CODE_FILE_TEXT;
		else if (strcmp(argv[i], "--quiet") == 0)
			opt.quiet = true;
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			return command_usage_error(&cmd_import_codes_entry, "unknown option '%s'", argv[i]);
		else if (opt.file)
			return command_usage_error(&cmd_import_codes_entry, "one FILE at a time");
		else
			opt.file = argv[i];
	}
	if (!opt.product || !*opt.product)
		return command_usage_error(&cmd_import_codes_entry, "say which product: --product PRODUCT");
	if (!opt.file)
		return command_usage_error(&cmd_import_codes_entry, "say which FILE to import");
	if (opt.format < 0)
		opt.format = code_file_format_for(opt.file);
	if (opt.column && opt.format != CODE_FILE_CSV)
		return command_usage_error(&cmd_import_codes_entry, "--column is for CSV files");

	/* The file first: a bad one changes nothing and needs no log-in. */
	if (!read_file(opt.file, &buf, &len, err, sizeof err) ||
	    code_file_open(&f, buf, len, (enum code_file_format)opt.format, opt.column, err,
	                   sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s: %s\n", opt.file, err);
		goto out;
	}
	file_open = true;
	if (!staff_credentials(email, sizeof email, password, sizeof password))
		goto out;

	if (cluster_ensure_running(stderr, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}
	if (db_connect(DB_ROLE_STAFF, "bazar import-codes", &conn, err, sizeof err) != BZ_OK ||
	    db_check_schema_version(conn, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: %s\n", err);
		goto out;
	}
	if (db_login(conn, email, password, NULL, &login, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: log-in refused for %s: %s\n", email, err);
		goto out;
	}
	explicit_bzero(password, sizeof password);
	if (!login.is_staff) {
		fprintf(stderr, "bazar: %s is not a staff account; only staff import codes\n", email);
		goto out;
	}
	if (!find_product(conn, login.token, opt.product, product_id, product_name, sizeof product_name))
		goto out;

	label = strrchr(opt.file, '/') ? strrchr(opt.file, '/') + 1 : opt.file;
	if (db_staff_import_begin(conn, login.token, product_id, label, &batch, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: cannot begin the import: %s\n", err);
		goto out;
	}
	if (stream_lines(conn, batch.batch_id, &f, !opt.quiet && isatty(STDERR_FILENO), &rows, err,
	                 sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: sending the lines failed, nothing was imported: %s\n", err);
		goto out;
	}
	if (db_staff_import_finish(conn, login.token, batch.batch_id, &totals, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: the import failed, nothing was imported: %s\n", err);
		goto out;
	}
	if (!opt.quiet && totals.imported < totals.lines &&
	    report_problems(conn, login.token, batch.batch_id) < 0)
		goto out;
	printf("%s: %lld lines, %lld imported, %lld duplicates, %lld malformed for \"%s\"\n",
	       label, (long long)totals.lines, (long long)totals.imported, (long long)totals.duplicates,
	       (long long)totals.malformed, product_name);
	rc = totals.imported == totals.lines && totals.lines == rows ? EXIT_OK : EXIT_REFUSED;
out:
	explicit_bzero(password, sizeof password);
	if (login.token) {
		char ignored[128];
		db_logout(conn, login.token, ignored, sizeof ignored);
	}
	db_login_out_free(&login);
	db_import_batch_free(&batch);
	if (file_open)
		code_file_close(&f);
	free(buf);
	if (conn)
		db_close(conn);
	return rc;
}

/* Read PATH whole into *BUF (owned). False with a sentence in ERR for a
 * missing or unreadable file, a directory, or one too big. */
static bool
read_file(const char *path, char **buf, size_t *len, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap, n = 0;

	*buf = NULL;
	*len = 0;
	if (fd < 0) {
		snprintf(err, errlen, "cannot open it: %s", strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s", S_ISDIR(st.st_mode) ? "it is a directory, not a file of codes"
		                                                : strerror(errno));
		close(fd);
		return false;
	}
	if (S_ISREG(st.st_mode) && (size_t)st.st_size > MAX_FILE_BYTES) {
		snprintf(err, errlen, "it is over 512 MiB; split it");
		close(fd);
		return false;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
	*buf = xmalloc(cap);
	for (;;) {
		ssize_t got;
		if (n == cap) {
			if (cap > MAX_FILE_BYTES) {
				snprintf(err, errlen, "it is over 512 MiB; split it");
				goto fail;
			}
			cap *= 2;
			*buf = xrealloc(*buf, cap);
		}
		got = read(fd, *buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			snprintf(err, errlen, "cannot read it: %s", strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	*len = n;
	return true;
fail:
	close(fd);
	free(*buf);
	*buf = NULL;
	return false;
}

/* The staff e-mail and password: from the environment, else asked on
 * the terminal (the password without echo). Never printed. */
static bool
staff_credentials(char *email, size_t elen, char *password, size_t plen)
{
	const char *e = getenv("BAZAR_STAFF_EMAIL"), *p = getenv("BAZAR_STAFF_PASSWORD");

	if (e && *e)
		snprintf(email, elen, "%s", e);
	else if (!isatty(STDIN_FILENO) || !prompt_line("Staff e-mail: ", true, email, elen))
		goto missing;
	if (p && *p)
		snprintf(password, plen, "%s", p);
	else if (!isatty(STDIN_FILENO) || !prompt_line("Password: ", false, password, plen))
		goto missing;
	return true;
missing:
	fprintf(stderr, "bazar: import-codes needs a staff log-in: set BAZAR_STAFF_EMAIL and "
	        "BAZAR_STAFF_PASSWORD, or run it on a terminal to be asked\n");
	return false;
}

/* Ask LABEL on the terminal (stderr) and read one line from stdin. */
static bool
prompt_line(const char *label, bool echo, char *out, size_t outlen)
{
	struct termios old, quiet;
	bool restore = false, ok;

	fputs(label, stderr);
	fflush(stderr);
	if (!echo && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		restore = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
	}
	ok = fgets(out, (int)outlen, stdin) != NULL;
	if (restore) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (ok)
		out[strcspn(out, "\r\n")] = '\0';
	return ok && *out;
}

/* KEY as a product: its id, its exact name (any case), or the one name
 * containing it. Says why not on stderr. */
static bool
find_product(struct db_conn *conn, const char *token, const char *key, char *id, char *name,
             size_t namelen)
{
	struct db_stock stock;
	char err[512];
	size_t exact = 0, partial = 0, n_exact = 0, n_partial = 0;
	bool found = false;

	if (db_staff_stock(conn, token, &stock, err, sizeof err) != BZ_OK) {
		fprintf(stderr, "bazar: cannot list the products: %s\n", err);
		return false;
	}
	for (size_t i = 0; i < stock.count; i++) {
		const char *pname = stock.items[i].name;
		if (strcasecmp(stock.items[i].product_id, key) == 0 || strcasecmp(pname, key) == 0) {
			exact = i;
			n_exact++;
		} else if (strcasestr(pname, key)) {
			partial = i;
			n_partial++;
		}
	}
	if (n_exact == 1 || (n_exact == 0 && n_partial == 1)) {
		size_t i = n_exact ? exact : partial;
		snprintf(id, DB_UUID_SIZE, "%s", stock.items[i].product_id);
		snprintf(name, namelen, "%s", stock.items[i].name);
		found = true;
	} else if (n_exact + n_partial == 0) {
		fprintf(stderr, "bazar: no product has the id or name \"%s\"\n", key);
	} else {
		fprintf(stderr, "bazar: \"%s\" names %zu products; say which:\n", key,
		        n_exact ? n_exact : n_partial);
		for (size_t i = 0; i < stock.count; i++)
			if (strcasestr(stock.items[i].name, key) || strcasecmp(stock.items[i].name, key) == 0)
				fprintf(stderr, "  %s  %s\n", stock.items[i].product_id, stock.items[i].name);
	}
	db_stock_free(&stock);
	return found;
}

/* Every line of F into the batch with one COPY; a bar on stderr when
 * BAR. *ROWS: the rows the server staged. */
static bz_err
stream_lines(struct db_conn *conn, const char *batch_id, struct code_file *f, bool bar, int64_t *rows,
             char *err, size_t errlen)
{
	struct db_code_copy *copy;
	struct code_line line;
	int64_t sent = 0, last_bytes = -1, bytes = 0;
	bz_err rc = db_code_copy_begin(conn, batch_id, &copy, err, errlen);

	if (rc != BZ_OK)
		return rc;
	while (code_file_next(f, &line)) {
		rc = db_code_copy_line(copy, (int64_t)line.line_no, line.text, line.len,
		                       code_flaw_word(line.flaw), err, errlen);
		if (rc != BZ_OK) {
			db_code_copy_abort(copy, "the client could not send every line");
			return rc;
		}
		db_code_copy_sent(copy, &sent, &bytes);
		if (bar && bytes != last_bytes) {
			draw_bar(code_file_offset(f), f->len, sent);
			last_bytes = bytes;
		}
	}
	rc = db_code_copy_end(copy, rows, err, errlen);
	if (bar) {
		draw_bar(f->len, f->len, *rows);
		fputc('\n', stderr);
	}
	return rc;
}

/* "[#####.....]  45%  450000 lines" over itself on stderr. */
static void
draw_bar(size_t done, size_t total, int64_t lines)
{
	char cells[41];
	int pct = total ? (int)(done * 100 / total) : 100;
	int fill = pct * 40 / 100;

	for (int i = 0; i < 40; i++)
		cells[i] = i < fill ? '#' : '.';
	cells[40] = '\0';
	fprintf(stderr, "\rsending [%s] %3d%%  %lld lines", cells, pct, (long long)lines);
	fflush(stderr);
}

/* Print every refused line ("line N: kind: reason"), in order; how many,
 * or -1 when the list could not be read. */
static int64_t
report_problems(struct db_conn *conn, const char *token, const char *batch_id)
{
	struct db_import_problems page;
	char err[512];
	int64_t after = 0, total = 0;

	for (;;) {
		if (db_staff_import_problems(conn, token, batch_id, after, PROBLEM_PAGE, &page, err,
		                             sizeof err) != BZ_OK) {
			fprintf(stderr, "bazar: the import ran, but its refused lines cannot be listed: %s\n", err);
			return -1;
		}
		for (size_t i = 0; i < page.count; i++)
			printf("line %lld: %s: %s\n", (long long)page.items[i].line_no, page.items[i].kind,
			       page.items[i].reason);
		total += (int64_t)page.count;
		if (page.count > 0)
			after = page.items[page.count - 1].line_no;
		if (page.count < PROBLEM_PAGE) {
			db_import_problems_free(&page);
			return total;
		}
		db_import_problems_free(&page);
	}
}
