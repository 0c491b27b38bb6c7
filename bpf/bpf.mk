# bpf: the BPF objects and their skeletons.
#   dmatrace_user.bpf.c   uprobes on the reference implementation
#   dmatrace_kernel.bpf.c fentry/fexit, kprobe fallback, tp_btf on the kernel
# Both share the concern cores (bpf/*.bpf.h). The uprobe programs read uAPI
# structs at offsets generated from include/uapi (build/uapi_offsets.h).
BPF_CFLAGS := -target bpf -mcpu=v3 -g -O2 -Wall -Werror -D__TARGET_ARCH_$(ARCH) \
	      -Iinclude -I$(OUT)
BPF_OBJS   := $(OUT)/bpf/dmatrace_user.bpf.o $(OUT)/bpf/dmatrace_kernel.bpf.o
BPF_SKELS  := $(OUT)/dmatrace_user.skel.h $(OUT)/dmatrace_kernel.skel.h
BPF_HDRS   := $(wildcard bpf/*.bpf.h) include/dmatrace/hist.h \
	      include/dmatrace/events.h include/dmatrace/ops.h \
	      include/dmatrace/config.h include/ref/abi.h $(OUT)/uapi_offsets.h vmlinux.h

$(OUT)/bpf/gen_uapi_offsets: bpf/gen_uapi_offsets.c include/uapi/iommufd.h include/ref/window.h src/ref/iommufd_private.h src/ref/io_pagetable.h \
			     include/dmatrace/ops.h
	@mkdir -p $(dir $@)
	$(COMPILE) $(LDFLAGS) $(DT_LDFLAGS) $< -o $@ $(LDLIBS)

$(OUT)/uapi_offsets.h: $(OUT)/bpf/gen_uapi_offsets
	$< > $@.tmp && mv $@.tmp $@

$(OUT)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/%.skel.h: $(OUT)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

ALL_TARGETS += $(BPF_OBJS) $(BPF_SKELS)

# docs/ops.md is the op table as Markdown; `make docs` rewrites it and
# tests/unit/op_table.t fails while the committed copy differs.
.PHONY: docs
docs: $(OUT)/bpf/gen_uapi_offsets
	$< --doc > docs/ops.md
