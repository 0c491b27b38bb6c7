# src/dmatrace/view: aggregation and output library of the loader (pure C,
# no BPF). The loader links $(VIEW_OBJS) (which includes its JSON reader,
# src/common/json_read.o) with $(COMMON_OBJS) and $(VIEW_LIBS).
VIEW_DIR  := src/dmatrace/view
VIEW_LIBS := -lm
VIEW_OBJS := $(addprefix $(OUT)/$(VIEW_DIR)/,interval.o fmt.o lathist.o view.o violation.o violation_type1.o hists.o windows.o windows_json.o occupancy.o record.o violations_text.o openmetrics.o diff_record.o diff.o lost.o) \
	     $(OUT)/src/common/json_read.o

# Unit tests: one per concern, linked with the view and common objects
VIEW_TESTS := interval render lathist jsonread openmetrics procs type1 occupancy
VIEW_TEST_BINS := $(addprefix $(BIN)/tests/unit/test_view_,$(VIEW_TESTS))
UNIT_TESTS += $(VIEW_TEST_BINS)

# A static pattern rule: its objects are explicit prerequisites, so make
# neither deletes them as intermediates nor rebuilds them on the next run
$(VIEW_TEST_BINS): $(BIN)/tests/unit/test_view_%: $(OUT)/tests/unit/test_view_%.o $(VIEW_OBJS) $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(LINK) $^ -o $@ $(UNIT_LIBS) -lm $(LDLIBS)

$(OUT)/tests/unit/test_view_%.o: DT_CFLAGS += $(UNIT_CFLAGS)

# The renderer tests and the sample tool share one fixed scenario
$(BIN)/tests/unit/test_view_render $(BIN)/tests/unit/test_view_jsonread $(BIN)/tests/unit/test_view_occupancy: $(OUT)/tests/unit/view_scenario.o

# view-sample: the scenario rendered for tests/unit/view_*.t (jq, OpenMetrics
# parser, diff exit codes); outside bin/tests/unit/ so the runner skips it
VIEW_SAMPLE := $(BIN)/tests/view-sample
UNIT_TESTS += $(VIEW_SAMPLE)
$(VIEW_SAMPLE): $(OUT)/tests/unit/view_sample.o $(OUT)/tests/unit/view_scenario.o $(VIEW_OBJS) $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(LINK) $^ -o $@ -lm $(LDLIBS)

# libFuzzer target: make fuzz-view [FUZZ_SECONDS=60] (also part of make fuzz)
VIEW_FUZZ := $(BIN)/fuzz/fuzz_view
$(VIEW_FUZZ): $(patsubst $(OUT)/%.o,%.c,$(VIEW_OBJS)) src/common/json.c tests/fuzz/fuzz_view.c
	@mkdir -p $(dir $@)
	$(or $(FUZZ_CC),clang) -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined \
		-std=gnu11 $(DT_CPPFLAGS) $(CPPFLAGS) -o $@ $^ -lm

.PHONY: fuzz-view
fuzz: fuzz-view
fuzz-view: $(VIEW_FUZZ)
	@mkdir -p $(OUT)/fuzz-corpus-view
	$(VIEW_FUZZ) -max_total_time=$(or $(FUZZ_SECONDS),60) -print_final_stats=1 \
		$(OUT)/fuzz-corpus-view
