# tools/vm: guest-side helpers of the VM tier.
#   edufault  QEMU's edu device does DMA through the IOMMU, allowed and faulting
ALL_TARGETS += $(BIN)/edufault

$(BIN)/edufault: $(OUT)/tools/vm/edufault.o
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $^ $(LDLIBS)
