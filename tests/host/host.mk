# tests/host: helper clients of the host-tier tests, built into
# bin/tests/host/ (linked to the reference implementation)
$(BIN)/tests/host/nonresident: $(OUT)/tests/host/helpers/nonresident.o $(REF_LIB)
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $< -L$(BIN) -Wl,-rpath,'$$ORIGIN/../..' -ldmaref $(LDLIBS)

ALL_TARGETS += $(BIN)/tests/host/nonresident
