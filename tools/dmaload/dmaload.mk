# tools/dmaload: the workload tool (bin/dmaload). Backends: ref (libdmaref,
# linked from bin/ with rpath $ORIGIN) and kernel (/dev/iommu).
DMALOAD_SRCS := main.c script.c num.c exec.c truth.c ubuf.c \
		scenario.c scn_vmboot.c scn_dpdk.c scn_churn.c \
		scn_violations.c scn_power.c backend_ref.c backend_kernel.c \
		script_type1.c exec_type1.c truth_type1.c backend_ref_vfio.c \
		backend_kernel_vfio.c
DMALOAD_OBJS := $(addprefix $(OUT)/tools/dmaload/,$(DMALOAD_SRCS:.c=.o))

ALL_TARGETS += $(BIN)/dmaload

$(BIN)/dmaload: $(DMALOAD_OBJS) $(COMMON_OBJS) $(BIN)/libdmaref.so
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $(filter %.o,$^) -L$(BIN) -Wl,-rpath,'$$ORIGIN' \
		-ldmaref -lpthread $(LDLIBS)
