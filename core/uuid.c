/* UUID text: formatting random bytes as a version 4 UUID, and checking
 * UUID text that comes from elsewhere; see uuid.h. */
#include "config.h"
#include "core/uuid.h"

#include <string.h>

static bool is_hyphen_at(size_t i);
static int hex_value(char c);

/* The positions of the four hyphens in the 8-4-4-4-12 layout. */
static bool
is_hyphen_at(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

/* The value of an ASCII hex digit, or -1: isxdigit() follows the locale. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Set the RFC 4122 version (4) and variant (10xx) bits and print. */
void
uuid_v4_format(const uint8_t random[16], char out[UUID_BUF_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	uint8_t b[16];
	size_t pos = 0;

	memcpy(b, random, sizeof b);
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	for (size_t i = 0; i < sizeof b; i++) {
		if (is_hyphen_at(pos))
			out[pos++] = '-';
		out[pos++] = digits[b[i] >> 4];
		out[pos++] = digits[b[i] & 0x0f];
	}
	out[pos] = '\0';
}

/* Check the layout character by character; the length check comes from
 * requiring the NUL exactly at position 36. */
bool
uuid_is_valid(const char *text)
{
	if (text == NULL)
		return false;
	for (size_t i = 0; i < UUID_TEXT_LEN; i++) {
		if (text[i] == '\0')
			return false;
		if (is_hyphen_at(i) ? text[i] != '-' : hex_value(text[i]) < 0)
			return false;
	}
	return text[UUID_TEXT_LEN] == '\0';
}

/* Lower-case copy of valid UUID text. */
bool
uuid_canonical(const char *text, char out[UUID_BUF_SIZE])
{
	if (!uuid_is_valid(text))
		return false;
	for (size_t i = 0; i < UUID_TEXT_LEN; i++) {
		char c = text[i];

		out[i] = c >= 'A' && c <= 'F' ? (char)(c - 'A' + 'a') : c;
	}
	out[UUID_TEXT_LEN] = '\0';
	return true;
}
