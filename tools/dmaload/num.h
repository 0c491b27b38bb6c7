/* SPDX-License-Identifier: GPL-2.0 */
/* dmaload numbers: decimal or 0x hex, optional K/M/G/T (binary) suffix */
#ifndef DMALOAD_NUM_H
#define DMALOAD_NUM_H

#include <stdint.h>

/* 0 on success; -1 when s is not a number or it overflows 64 bits */
int dl_parse_u64(const char *s, uint64_t *out);

#endif /* DMALOAD_NUM_H */
