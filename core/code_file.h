/* A file of codes to import, read from a buffer (no I/O here): one code
 * per line, or CSV with the code in a named or the first column.
 *
 * Every line of the file comes out, in order, with its 1-based line
 * number: blank lines too (the server reports them as empty), so nothing
 * is dropped before the server has judged it. What the parser itself
 * cannot send as text is marked with a flaw instead of being skipped.
 *
 * Rules, for both formats:
 * - a UTF-8 byte order mark at the very start is skipped;
 * - lines end at "\n"; a "\r" just before it (CRLF) is not part of the
 *   line; a last line without "\n" counts, and a "\n" at the very end
 *   does not start another line;
 * - a NUL byte anywhere makes the whole file refused (it is not text);
 *   so does a file with no byte besides a BOM (empty);
 * - a line (or CSV field) that is not valid UTF-8 is CODE_FLAW_NOT_UTF8
 *   with an empty text; one longer than CODE_FILE_MAX_BYTES is
 *   CODE_FLAW_TOO_LONG with its first bytes (cut at a character edge).
 * Spaces around a code are left alone: the server trims them.
 *
 * CSV (RFC 4180): fields separated by ',', a field in double quotes may
 * hold ',', '""' (a quote) and line ends (the record's line number is
 * where it starts). The first record is a header when COLUMN is given
 * (it must name that column, case-insensitively, else the file is
 * refused) or when one of its fields is "code"; the code is that column.
 * Otherwise there is no header and the code is the first column. A
 * record without that column is CODE_FLAW_NO_COLUMN (a blank line is an
 * empty code); a quoted field still open at the end of the file is
 * CODE_FLAW_BAD_QUOTES. */
#ifndef BAZAR_CORE_CODE_FILE_H
#define BAZAR_CORE_CODE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* The staging table's limit on one line's text (0018). */
#define CODE_FILE_MAX_BYTES 1000

enum code_file_format {
	CODE_FILE_TEXT,
	CODE_FILE_CSV,
};

enum code_flaw {
	CODE_FLAW_NONE,
	CODE_FLAW_NOT_UTF8,
	CODE_FLAW_TOO_LONG,
	CODE_FLAW_NO_COLUMN,
	CODE_FLAW_BAD_QUOTES,
};

struct code_line {
	size_t line_no;         /* 1-based, in the file */
	const char *text;       /* not NUL-terminated; valid until the next call */
	size_t len;
	enum code_flaw flaw;
};

struct code_file {
	const char *buf;
	size_t len;
	size_t pos;             /* next byte to read */
	size_t line_no;         /* of the next line */
	enum code_file_format format;
	size_t column;          /* CSV: the code's field, 0-based */
	char *scratch;          /* CSV: an unquoted field; owned */
	size_t scratch_cap;
};

/* Start reading BUF (LEN bytes, kept by the caller while F is used).
 * COLUMN: CSV only, the header's name for the code column, or NULL.
 * BZ_ERR_INVALID_INPUT with a sentence in ERR for an empty file, a NUL
 * byte (naming its line), or a header without COLUMN; nothing is then
 * left to close. */
bz_err code_file_open(struct code_file *f, const char *buf, size_t len, enum code_file_format format,
                      const char *column, char *err, size_t errlen);

/* The next line into OUT: true, or false at the end of the file. */
bool code_file_next(struct code_file *f, struct code_line *out);

/* Bytes of the buffer read so far (for a progress bar). */
size_t code_file_offset(const struct code_file *f);

void code_file_close(struct code_file *f);

/* The format a file name suggests: CSV for a name ending in ".csv" (any
 * case), else text. */
enum code_file_format code_file_format_for(const char *name);

/* The staging table's word for FLAW ("not_utf8", ...), NULL for none. */
const char *code_flaw_word(enum code_flaw flaw);

/* True when S (LEN bytes) is valid UTF-8 (no overlongs, no surrogates). */
bool code_utf8_valid(const char *s, size_t len);

#endif
