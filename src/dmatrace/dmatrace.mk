# src/dmatrace: the loader and CLI (bin/dmatrace), linked with the view
# library (src/dmatrace/view) and libbpf.
include src/dmatrace/view/view.mk

DMATRACE_OBJS := $(addprefix $(OUT)/src/dmatrace/,main.o run.o probe.o \
		 demo.o tracer.o skel.o attach.o attach_points.o attach_report.o \
		 btf_check.o ksyms.o elf_syms.o child.o)
DMATRACE_LIBS := $(shell pkg-config --libs libbpf libelf 2>/dev/null || echo -lbpf -lelf -lz) -lm

# skel.c includes the skeletons
$(OUT)/src/dmatrace/skel.o: $(BPF_SKELS)

$(BIN)/dmatrace: $(DMATRACE_OBJS) $(VIEW_OBJS) $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(DMATRACE_LIBS)

ALL_TARGETS += $(BIN)/dmatrace

# Unit test of the planner: points, backends, symbol tables, BTF
# prototypes (against ../shared/vm/vmlinux.btf when it is there); no root
PLAN_TEST_OBJS := $(addprefix $(OUT)/src/dmatrace/,attach.o attach_points.o \
		  attach_report.o btf_check.o ksyms.o elf_syms.o)
UNIT_TESTS += $(BIN)/tests/unit/test_attach_plan
$(BIN)/tests/unit/test_attach_plan: $(OUT)/tests/unit/test_attach_plan.o $(PLAN_TEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ -o $@ $(UNIT_LIBS) $(DMATRACE_LIBS)
$(OUT)/tests/unit/test_attach_plan.o: CFLAGS += $(UNIT_CFLAGS)
