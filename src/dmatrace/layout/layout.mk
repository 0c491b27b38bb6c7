# src/dmatrace/layout: `dmatrace layout` (sysfs IOMMU layout, JSON in and
# out, the diff of two hosts); pure C, linked into bin/dmatrace with
# $(VIEW_OBJS) (fmt.o, the JSON reader) and $(COMMON_OBJS)
LAYOUT_OBJS := $(addprefix $(OUT)/src/dmatrace/layout/,layout.o cap.o sysfs.o \
	       print.o json_out.o json_in.o rset.o compat.o cmd.o)
