## race/: the race lab's engine (race/race.h): scenarios, the round runner,
## the invariant checks and the report. A convenience library used by the
## attack suite (tests/race/attack) and "bazar race"; it prints nothing.
noinst_LIBRARIES += race/librace.a
race_librace_a_CFLAGS = $(AM_CFLAGS) -pthread
# report_json.c: the JSON report (cJSON), shared by bazar race and the console.
race_librace_a_CPPFLAGS = $(AM_CPPFLAGS) $(CJSON_CFLAGS)
race_librace_a_SOURCES = \
	race/race.h race/scenario.h race/report.h race/report.c \
	race/options.c race/run.c \
	race/race_util.c race/race_util.h race/scenarios.c \
	race/scenarios_customer.c race/scenarios_staff.c race/scenarios_fault.c \
	race/report_json.c race/report_json.h
# case_file.c: saved failing rounds (cases) as JSON, for replays (cJSON).
race_librace_a_SOURCES += race/case_file.c race/case_file.h
race_librace_a_SOURCES += race/case_replay.c race/case_replay.h
