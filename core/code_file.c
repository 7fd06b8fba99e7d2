/* Reading a file of codes from a buffer; see code_file.h for the rules. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/code_file.h"
#include "core/xalloc.h"

static bool text_line(struct code_file *f, struct code_line *out);
static bool csv_record(struct code_file *f, struct code_line *out);
static void scratch_put(struct code_file *f, size_t *n, char c);
static void judge_text(struct code_line *out);
static bool same_name(const char *a, size_t alen, const char *b);
static bz_err find_header(struct code_file *f, const char *column, char *err, size_t errlen);

bz_err
code_file_open(struct code_file *f, const char *buf, size_t len, enum code_file_format format,
               const char *column, char *err, size_t errlen)
{
	const char *nul;

	memset(f, 0, sizeof *f);
	f->buf = buf;
	f->len = len;
	f->line_no = 1;
	f->format = format;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		f->pos = 3;
	if (f->pos == len) {
		snprintf(err, errlen, "the file is empty: there is no line to import");
		return BZ_ERR_INVALID_INPUT;
	}
	nul = memchr(buf, '\0', len);
	if (nul) {
		size_t line = 1;
		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		snprintf(err, errlen, "this is not a text file (a NUL byte on line %zu); "
		         "give one code per line, or CSV", line);
		return BZ_ERR_INVALID_INPUT;
	}
	if (format == CODE_FILE_CSV && find_header(f, column, err, errlen) != BZ_OK) {
		/* A refused file leaves nothing to close. */
		code_file_close(f);
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}

/* The CSV header: the column named COLUMN (required then) or "code", the
 * header record skipped; with neither, the first column and no header.
 * Reads the first record once per field with csv_record. */
static bz_err
find_header(struct code_file *f, const char *column, char *err, size_t errlen)
{
	const char *want = column && *column ? column : "code";
	size_t start = f->pos;
	struct code_line field;

	/* An empty first line has one empty field, whatever column is asked
	 * for: no header. */
	bool blank = f->buf[start] == '\n' ||
	             (f->buf[start] == '\r' && start + 1 < f->len && f->buf[start + 1] == '\n');

	for (size_t i = 0; !blank; i++) {
		f->pos = start;
		f->line_no = 1;
		f->column = i;
		if (!csv_record(f, &field) || field.flaw == CODE_FLAW_NO_COLUMN ||
		    field.flaw == CODE_FLAW_BAD_QUOTES)
			break;
		while (field.len > 0 && field.text[0] == ' ') {
			field.text++;
			field.len--;
		}
		while (field.len > 0 && field.text[field.len - 1] == ' ')
			field.len--;
		if (same_name(field.text, field.len, want))
			return BZ_OK;   /* pos and line_no are past the header */
	}
	f->pos = start;
	f->line_no = 1;
	f->column = 0;
	if (column && *column) {
		snprintf(err, errlen, "the CSV file's first line has no column named \"%.60s\"", column);
		return BZ_ERR_INVALID_INPUT;
	}
	return BZ_OK;
}

bool
code_file_next(struct code_file *f, struct code_line *out)
{
	bool got;

	memset(out, 0, sizeof *out);
	if (f->pos >= f->len)
		return false;
	got = f->format == CODE_FILE_CSV ? csv_record(f, out) : text_line(f, out);
	if (got && out->flaw == CODE_FLAW_NONE)
		judge_text(out);
	return got;
}

/* One physical line: up to "\n", without a "\r" just before it. */
static bool
text_line(struct code_file *f, struct code_line *out)
{
	const char *start = f->buf + f->pos;
	const char *nl = memchr(start, '\n', f->len - f->pos);
	size_t len = nl ? (size_t)(nl - start) : f->len - f->pos;

	out->line_no = f->line_no++;
	out->text = start;
	out->len = len;
	if (len > 0 && start[len - 1] == '\r')
		out->len--;
	f->pos += len + (nl ? 1 : 0);
	return true;
}

/* One CSV record; OUT's text is field f->column, unquoted, in scratch.
 * A quoted field still open at the end of the buffer: only the record's
 * first physical line is taken (flawed), so no later line is lost. */
static bool
csv_record(struct code_file *f, struct code_line *out)
{
	size_t p = f->pos, field = 0, extra_lines = 0, n = 0;
	bool in_quotes = false, at_field_start = true, empty = true;

	out->line_no = f->line_no;
	while (p < f->len) {
		char c = f->buf[p];

		if (in_quotes) {
			if (c == '"' && p + 1 < f->len && f->buf[p + 1] == '"') {
				if (field == f->column)
					scratch_put(f, &n, '"');
				p += 2;
				continue;
			}
			if (c == '"')
				in_quotes = false;
			else if (field == f->column)
				scratch_put(f, &n, c);
			extra_lines += c == '\n';
			p++;
			continue;
		}
		if (c == '\n')
			break;
		if (c == '\r' && p + 1 < f->len && f->buf[p + 1] == '\n') {
			p++;
			continue;
		}
		empty = false;
		if (c == ',') {
			field++;
			at_field_start = true;
		} else if (c == '"' && at_field_start) {
			in_quotes = true;
			at_field_start = false;
		} else {
			at_field_start = false;
			if (field == f->column)
				scratch_put(f, &n, c);
		}
		p++;
	}
	if (in_quotes) {
		struct code_file one = *f;
		one.format = CODE_FILE_TEXT;
		text_line(&one, out);
		f->pos = one.pos;
		f->line_no = one.line_no;
		out->flaw = CODE_FLAW_BAD_QUOTES;
		return true;
	}
	f->pos = p < f->len ? p + 1 : p;
	f->line_no += 1 + extra_lines;
	out->text = f->scratch ? f->scratch : "";
	out->len = n;
	if (!empty && field < f->column) {
		out->len = 0;
		out->flaw = CODE_FLAW_NO_COLUMN;
	}
	return true;
}

/* Append C to the scratch field. */
static void
scratch_put(struct code_file *f, size_t *n, char c)
{
	if (*n + 1 >= f->scratch_cap) {
		f->scratch_cap = f->scratch_cap ? f->scratch_cap * 2 : 256;
		f->scratch = xrealloc(f->scratch, f->scratch_cap);
	}
	f->scratch[(*n)++] = c;
}

/* Mark text that cannot go to the staging table as it is: not UTF-8
 * (sent empty), or too long (cut at a character edge). */
static void
judge_text(struct code_line *out)
{
	if (!code_utf8_valid(out->text, out->len)) {
		out->flaw = CODE_FLAW_NOT_UTF8;
		out->len = 0;
	} else if (out->len > CODE_FILE_MAX_BYTES) {
		size_t cut = CODE_FILE_MAX_BYTES;
		while (cut > 0 && ((unsigned char)out->text[cut] & 0xC0) == 0x80)
			cut--;
		out->len = cut;
		out->flaw = CODE_FLAW_TOO_LONG;
	}
}

/* A, ALEN bytes, equals B in ASCII case-insensitively. */
static bool
same_name(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

size_t
code_file_offset(const struct code_file *f)
{
	return f->pos;
}

void
code_file_close(struct code_file *f)
{
	free(f->scratch);
	f->scratch = NULL;
	f->scratch_cap = 0;
}

enum code_file_format
code_file_format_for(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n >= 4 && same_name(name + n - 4, 4, ".csv") ? CODE_FILE_CSV : CODE_FILE_TEXT;
}

const char *
code_flaw_word(enum code_flaw flaw)
{
	switch (flaw) {
	case CODE_FLAW_NOT_UTF8:
		return "not_utf8";
	case CODE_FLAW_TOO_LONG:
		return "too_long";
	case CODE_FLAW_NO_COLUMN:
		return "no_column";
	case CODE_FLAW_BAD_QUOTES:
		return "bad_quotes";
	case CODE_FLAW_NONE:
		break;
	}
	return NULL;
}

bool
code_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t need;
		unsigned min, cp;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1; min = 0x80; cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2; min = 0x800; cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3; min = 0x10000; cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - p) <= need)
			return false;
		for (size_t i = 1; i <= need; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		p += need + 1;
	}
	return true;
}
