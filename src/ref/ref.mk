# src/ref: the reference implementation of Linux 6.12 iommufd IOAS semantics
# and of native VFIO type1 (bin/libdmaref.so), its unit tests, fuzz target
# and benchmark driver.
# Only REF_API symbols are exported (-fvisibility=hidden).
REF_SRCS := src/ref/interval_tree.c src/ref/io_pagetable.c src/ref/main.c \
	    src/ref/ioas.c src/ref/vfio_compat.c src/ref/selftest.c \
	    src/ref/window.c src/ref/vfio_iommu_type1.c src/ref/vfio_iova.c \
	    src/ref/vfio_type1_group.c src/ref/vfio_type1_info.c \
	    src/ref/vfio_container.c
REF_PIC_OBJS := $(patsubst %.c,$(OUT)/pic/%.o,$(REF_SRCS))
REF_CFLAGS := -fPIC -fvisibility=hidden
REF_LIB := $(BIN)/libdmaref.so

ALL_TARGETS += $(REF_LIB) $(BIN)/bench-ref

$(OUT)/pic/src/ref/%.o: src/ref/%.c
	@mkdir -p $(dir $@)
	$(COMPILE) $(REF_CFLAGS) -MMD -MP -c $< -o $@

$(REF_LIB): $(REF_PIC_OBJS)
	@mkdir -p $(dir $@)
	$(LINK) -shared -Wl,-soname,libdmaref.so -o $@ $^ -lpthread $(LDLIBS)

# Unit tests link the shared library (what others use), except the tree
# test, which tests hidden internals from the objects
REF_TEST_LDFLAGS := -L$(BIN) -Wl,-rpath,'$$ORIGIN/../..' -ldmaref -lpthread

UNIT_TESTS += $(BIN)/tests/unit/test_ref_interval_tree
$(BIN)/tests/unit/test_ref_interval_tree: $(OUT)/tests/unit/test_ref_interval_tree.o $(OUT)/pic/src/ref/interval_tree.o
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(UNIT_LIBS) $(LDLIBS)

REF_UNIT_TESTS := test_ref_ioctl test_ref_ioas test_ref_vfio test_ref_window \
		  test_ref_random test_ref_type1
UNIT_TESTS += $(addprefix $(BIN)/tests/unit/,$(REF_UNIT_TESTS))
$(addprefix $(BIN)/tests/unit/,$(REF_UNIT_TESTS)): $(BIN)/tests/unit/%: $(OUT)/tests/unit/%.o $(OUT)/tests/unit/ref_helpers.o $(REF_LIB)
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $(filter %.o,$^) $(REF_TEST_LDFLAGS) $(UNIT_LIBS) $(LDLIBS)

$(OUT)/tests/unit/test_ref_%.o $(OUT)/tests/unit/ref_helpers.o: DT_CFLAGS += $(UNIT_CFLAGS)

# Benchmark driver (tools/bench/bench-ref.sh runs it)
$(BIN)/bench-ref: $(OUT)/tools/bench/bench_ref.o $(REF_LIB)
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $< -L$(BIN) -Wl,-rpath,'$$ORIGIN' -ldmaref -lpthread $(LDLIBS)

# libFuzzer target: make fuzz-ref [FUZZ_SECONDS=60] (also part of make fuzz)
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_BIN := $(BIN)/fuzz/fuzz_ref
$(FUZZ_BIN): $(REF_SRCS) tests/fuzz/fuzz_ref.c tests/unit/ref_helpers.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined \
		-std=gnu11 $(DT_CPPFLAGS) $(CPPFLAGS) -Itests/unit -o $@ $^ -lpthread

.PHONY: fuzz-ref
fuzz: fuzz-ref
fuzz-ref: $(FUZZ_BIN)
	@mkdir -p $(OUT)/fuzz-corpus-ref
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		$(OUT)/fuzz-corpus-ref

# Raw-ioctl differential driver (tools/refcheck.sh runs it in the VM)
ALL_TARGETS += $(BIN)/ref-rawcheck
$(BIN)/ref-rawcheck: $(OUT)/tools/refcheck/rawcheck.o $(REF_LIB)
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $< -L$(BIN) -Wl,-rpath,'$$ORIGIN' -ldmaref $(LDLIBS)
