# src/dmatrace: the loader and CLI (bin/dmatrace), linked with the view
# library (src/dmatrace/view) and libbpf.
include src/dmatrace/view/view.mk
include src/dmatrace/layout/layout.mk

DMATRACE_OBJS := $(addprefix $(OUT)/src/dmatrace/,main.o run.o session.o probe.o \
		 demo.o tracer.o snapshot.o skel.o attach.o attach_points.o attach_report.o \
		 btf_check.o ksyms.o elf_syms.o child.o output.o target.o \
		 exporter.o exporter_bound.o)
DMATRACE_LIBS := $(shell pkg-config --libs libbpf libelf 2>/dev/null || echo -lbpf -lelf -lz) -lm
# the exporter's HTTP server (Debian: libmicrohttpd-dev)
EXPORTER_LIBS := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)

# skel.c includes the skeletons
$(OUT)/src/dmatrace/skel.o: $(BPF_SKELS)

$(BIN)/dmatrace: $(DMATRACE_OBJS) $(LAYOUT_OBJS) $(VIEW_OBJS) $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(LINK) $^ -o $@ $(DMATRACE_LIBS) $(EXPORTER_LIBS) $(LDLIBS)

ALL_TARGETS += $(BIN)/dmatrace

# Unit test of the planner: points, backends, symbol tables, BTF
# prototypes (against ../shared/vm/vmlinux.btf when it is there); no root
PLAN_TEST_OBJS := $(addprefix $(OUT)/src/dmatrace/,attach.o attach_points.o \
		  attach_report.o btf_check.o ksyms.o elf_syms.o)
UNIT_TESTS += $(BIN)/tests/unit/test_attach_plan
$(BIN)/tests/unit/test_attach_plan: $(OUT)/tests/unit/test_attach_plan.o $(PLAN_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(LINK) $^ -o $@ $(UNIT_LIBS) $(DMATRACE_LIBS) $(LDLIBS)
$(OUT)/tests/unit/test_attach_plan.o: DT_CFLAGS += $(UNIT_CFLAGS)

# Unit test of the exporter's --listen parsing and series bound (no MHD)
UNIT_TESTS += $(BIN)/tests/unit/test_exporter
$(BIN)/tests/unit/test_exporter: $(OUT)/tests/unit/test_exporter.o $(OUT)/src/dmatrace/exporter_bound.o
	@mkdir -p $(dir $@)
	$(LINK) $^ -o $@ $(UNIT_LIBS) $(LDLIBS)
$(OUT)/tests/unit/test_exporter.o: DT_CFLAGS += $(UNIT_CFLAGS)
