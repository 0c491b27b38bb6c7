# src/dmatrace/view: aggregation and output library of the loader (pure C,
# no BPF). The loader links $(VIEW_OBJS) (and $(COMMON_OBJS)).
VIEW_OBJS :=
