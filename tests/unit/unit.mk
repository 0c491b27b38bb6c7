# tests/unit: cmocka programs, one per concern, built into bin/tests/unit/.
# A fragment adds a test with:  UNIT_TESTS += $(BIN)/tests/unit/test_foo
# and a link rule naming the objects it needs. Tests print TAP.
UNIT_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
UNIT_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# The op table's accessors (include/dmatrace/ops.h): header only
UNIT_TESTS += $(BIN)/tests/unit/test_ops
$(BIN)/tests/unit/test_ops: $(OUT)/tests/unit/test_ops.o
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(UNIT_LIBS) $(LDLIBS)
$(OUT)/tests/unit/test_ops.o: DT_CFLAGS += $(UNIT_CFLAGS)

# The AMD IOMMU event log decoder (include/dmatrace/amd_evt.h): header only
UNIT_TESTS += $(BIN)/tests/unit/test_amd_evt
$(BIN)/tests/unit/test_amd_evt: $(OUT)/tests/unit/test_amd_evt.o
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(UNIT_LIBS) $(LDLIBS)
$(OUT)/tests/unit/test_amd_evt.o: DT_CFLAGS += $(UNIT_CFLAGS)
