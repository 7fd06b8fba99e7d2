/* Unit tests for core/resend_json: the request body is JSON with the
 * fields the provider wants, and refuses what JSON cannot carry; the
 * answer parser takes a message id only from a well-formed object and
 * survives hostile answers (huge, deeply nested, wrong types, broken). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "core/resend_json.h"
#include "tests/unit/tap_main.h"

struct answer_case {
	const char *body;
	bool is_json, has_id;
	const char *id, *name, *message;
};

static Suite *resend_json_suite(void);

static const struct answer_case answer_cases[] = {
	{ "{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}", true, true,
	  "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794", "", "" },
	{ " {\"object\":\"email\", \"id\" : \"re_1\"} ", true, true, "re_1", "", "" },
	{ "{\"statusCode\":422,\"name\":\"validation_error\",\"message\":\"Invalid `to` field.\"}", true, false,
	  "", "validation_error", "Invalid `to` field." },
	{ "{\"id\":42}", true, false, "", "", "" },
	{ "{\"id\":null}", true, false, "", "", "" },
	{ "{\"id\":\"\"}", true, false, "", "", "" },
	{ "{\"id\":\"has space\"}", true, false, "", "", "" },
	{ "{\"id\":\"tab\\there\"}", true, false, "", "", "" },
	{ "{\"id\":\"caf\\u00e9\"}", true, false, "", "", "" },        /* printable ASCII only */
	{ "{\"id\":[\"x\"]}", true, false, "", "", "" },
	{ "{\"ID\":\"x\"}", true, false, "", "", "" },                 /* case matters */
	{ "[]", true, false, "", "", "" },
	{ "\"x\"", true, false, "", "", "" },
	{ "42", true, false, "", "", "" },
	{ "null", true, false, "", "", "" },
	{ "{\"id\": ", false, false, "", "", "" },
	{ "{\"id\":\"x\"", false, false, "", "", "" },
	{ "<html>502 Bad Gateway</html>", false, false, "", "", "" },
	{ "", false, false, "", "", "" },
	{ "{\"name\":\"a b\",\"message\":\"line\\nbreak\\u0007bell\"}", true, false, "", "", "line break bell" },
	{ "{\"name\":7,\"message\":[1]}", true, false, "", "", "" },
};

START_TEST(answer_table)
{
	const struct answer_case *c = &answer_cases[_i];
	struct resend_answer a;

	resend_parse_answer(c->body, strlen(c->body), &a);
	ck_assert_msg(a.is_json == c->is_json, "%s: is_json %d", TAP_Q(c->body), a.is_json);
	ck_assert_msg(a.has_id == c->has_id, "%s: has_id %d", TAP_Q(c->body), a.has_id);
	ck_assert_str_eq(a.id, c->id);
	ck_assert_str_eq(a.name, c->name);
	ck_assert_str_eq(a.message, c->message);
}
END_TEST

START_TEST(answer_not_terminated)
{
	/* The length counts, not a terminator: only the first 12 bytes. */
	const char body[] = "{\"id\":\"abc\"}GARBAGE";
	struct resend_answer a;

	resend_parse_answer(body, 12, &a);
	ck_assert(a.has_id);
	ck_assert_str_eq(a.id, "abc");
	resend_parse_answer(NULL, 5, &a);
	ck_assert(!a.is_json && !a.has_id);
}
END_TEST

START_TEST(answer_id_too_long)
{
	char body[400];
	struct resend_answer a;

	/* 127 characters fit; 128 do not. */
	snprintf(body, sizeof body, "{\"id\":\"%0127d\"}", 0);
	resend_parse_answer(body, strlen(body), &a);
	ck_assert(a.has_id);
	ck_assert_uint_eq(strlen(a.id), 127);
	snprintf(body, sizeof body, "{\"id\":\"%0128d\"}", 0);
	resend_parse_answer(body, strlen(body), &a);
	ck_assert(!a.has_id);
	ck_assert_str_eq(a.id, "");
}
END_TEST

START_TEST(answer_deeply_nested)
{
	size_t depth = 100000, n = 0;
	char *body = malloc(depth * 2 + 1);
	struct resend_answer a;

	for (size_t i = 0; i < depth; i++)
		body[n++] = '[';
	for (size_t i = 0; i < depth; i++)
		body[n++] = ']';
	resend_parse_answer(body, n, &a);
	/* Past cJSON's nesting limit it is simply not JSON; no crash. */
	ck_assert(!a.has_id);
	free(body);
}
END_TEST

START_TEST(answer_huge)
{
	size_t len = 10 * 1024 * 1024;
	char *body = malloc(len + 32);
	struct resend_answer a;

	memcpy(body, "{\"message\":\"", 12);
	memset(body + 12, 'x', len);
	memcpy(body + 12 + len, "\",\"id\":\"ok\"}", 12);
	resend_parse_answer(body, len + 24, &a);
	ck_assert(a.has_id);
	ck_assert_str_eq(a.id, "ok");
	ck_assert_uint_eq(strlen(a.message), sizeof a.message - 1);
	free(body);
}
END_TEST

START_TEST(answer_message_utf8)
{
	struct resend_answer a;
	/* Invalid bytes become '?'; a cut never splits a character. */
	const char bad[] = "{\"message\":\"ok \xff\xfe end\"}";
	char body[600];
	size_t n = 0;

	resend_parse_answer(bad, strlen(bad), &a);
	ck_assert_str_eq(a.message, "ok ?? end");
	n += (size_t)snprintf(body, sizeof body, "{\"message\":\"");
	for (int i = 0; i < 150; i++) {
		memcpy(body + n, "\xc3\xa9", 2);    /* é, two bytes each: 300 bytes */
		n += 2;
	}
	n += (size_t)snprintf(body + n, sizeof body - n, "\"}");
	resend_parse_answer(body, n, &a);
	ck_assert_uint_eq(strlen(a.message) % 2, 0);
	ck_assert_uint_le(strlen(a.message), sizeof a.message - 1);
}
END_TEST

START_TEST(request_body_fields)
{
	char err[200] = "";
	char *body = resend_request_body("Bazar <shop@example.com>", "ann@example.com", "Your \"order\"",
	                                 "Line 1\nLine 2 \xe2\x82\xac", err, sizeof err);
	cJSON *root, *to;

	ck_assert_msg(body != NULL, "%s", err);
	root = cJSON_Parse(body);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "from")->valuestring, "Bazar <shop@example.com>");
	to = cJSON_GetObjectItemCaseSensitive(root, "to");
	ck_assert(cJSON_IsArray(to));
	ck_assert_int_eq(cJSON_GetArraySize(to), 1);
	ck_assert_str_eq(cJSON_GetArrayItem(to, 0)->valuestring, "ann@example.com");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "subject")->valuestring, "Your \"order\"");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(root, "text")->valuestring, "Line 1\nLine 2 \xe2\x82\xac");
	ck_assert_int_eq(cJSON_GetArraySize(root), 4);
	cJSON_Delete(root);
	free(body);
}
END_TEST

START_TEST(request_body_refuses)
{
	char err[200];

	ck_assert_ptr_null(resend_request_body(NULL, "a@b", "s", "t", err, sizeof err));
	ck_assert_str_eq(err, "the message has no from");
	ck_assert_ptr_null(resend_request_body("f@b", "", "s", "t", err, sizeof err));
	ck_assert_str_eq(err, "the message has no to");
	ck_assert_ptr_null(resend_request_body("f@b", "a@b", "s", "", err, sizeof err));
	ck_assert_str_eq(err, "the message has no text");
	ck_assert_ptr_null(resend_request_body("f@b", "a@b", "bad \xc0\xaf", "t", err, sizeof err));
	ck_assert_str_eq(err, "the message's subject is not valid UTF-8");
	ck_assert_ptr_null(resend_request_body("f@b", "a@b", "s", "\xed\xa0\x80", err, sizeof err));
	ck_assert_str_eq(err, "the message's text is not valid UTF-8");
}
END_TEST

static Suite *
resend_json_suite(void)
{
	Suite *s = suite_create("resend_json");

	TAP_ADD_TABLE(s, answer_table, answer_cases);
	TAP_ADD(s, answer_not_terminated);
	TAP_ADD(s, answer_id_too_long);
	TAP_ADD(s, answer_deeply_nested);
	TAP_ADD(s, answer_huge);
	TAP_ADD(s, answer_message_utf8);
	TAP_ADD(s, request_body_fields);
	TAP_ADD(s, request_body_refuses);
	return s;
}

int
main(void)
{
	return run_suite_tap(resend_json_suite());
}
