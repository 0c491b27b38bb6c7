# src/common: helpers shared by the loader and the tools (JSON, numbers);
# their headers are include/common/
COMMON_OBJS := $(OUT)/src/common/json.o
