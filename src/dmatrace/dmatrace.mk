# src/dmatrace: the loader and CLI (bin/dmatrace), linked with the view
# library (src/dmatrace/view) and libbpf.
include src/dmatrace/view/view.mk

DMATRACE_OBJS := $(addprefix $(OUT)/src/dmatrace/,main.o run.o session.o probe.o \
		 demo.o tracer.o attach.o elf_syms.o child.o)
DMATRACE_LIBS := $(shell pkg-config --libs libbpf libelf 2>/dev/null || echo -lbpf -lelf -lz) -lm

# tracer.c includes the skeletons
$(OUT)/src/dmatrace/tracer.o: $(BPF_SKELS)

$(BIN)/dmatrace: $(DMATRACE_OBJS) $(VIEW_OBJS) $(COMMON_OBJS)
	@mkdir -p $(dir $@)
	$(LINK) $^ -o $@ $(DMATRACE_LIBS) $(LDLIBS)

ALL_TARGETS += $(BIN)/dmatrace
