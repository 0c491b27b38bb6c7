# src/common: helpers shared by the loader and the tools (JSON, numbers)
COMMON_OBJS := $(OUT)/src/common/json.o
