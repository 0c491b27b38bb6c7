# tools/bench: the benchmark drivers that are built (the scripts beside
# them run them; `make bench`)
$(OUT)/tools/bench/bench_bpf.bpf.o: tools/bench/bench_bpf.bpf.c include/dmatrace/hist.h vmlinux.h
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/bench_bpf.skel.h: $(OUT)/tools/bench/bench_bpf.bpf.o
	$(BPFTOOL) gen skeleton $< name bench_bpf > $@.tmp && mv $@.tmp $@

$(OUT)/tools/bench/bench_bpf.o: $(OUT)/bench_bpf.skel.h

$(BIN)/bench-bpf: $(OUT)/tools/bench/bench_bpf.o
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $< $(LDLIBS) -lbpf -lelf -lz

ALL_TARGETS += $(BIN)/bench-bpf
