# tools/vm: guest-side helpers of the VM tier.
#   edufault  QEMU's edu device does DMA through the IOMMU, allowed and faulting
#   vfiocheck the native VFIO type1 container, step by step (tests/vm/guest/stock.sh)
ALL_TARGETS += $(BIN)/edufault

$(BIN)/edufault: $(OUT)/tools/vm/edufault.o
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(LDLIBS)

ALL_TARGETS += $(BIN)/vfiocheck

$(BIN)/vfiocheck: $(OUT)/tools/vm/vfiocheck.o
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(LDLIBS)
