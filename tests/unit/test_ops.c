// SPDX-License-Identifier: GPL-2.0
/*
 * The op table (include/dmatrace/ops.h): the rules the BPF programs, the
 * views and dmaload's ground truth read from it, row by row.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <linux/types.h>
#include <linux/vfio.h>

#include "uapi/iommufd.h"
#include "dmatrace/ops.h"

/* Where the IOVA of a call comes from, for every op */
static void test_iova_fixed(void **state)
{
	(void)state;
	assert_true(dt_op_iova_fixed(DT_OP_MAP, IOMMU_IOAS_MAP_FIXED_IOVA));
	assert_false(dt_op_iova_fixed(DT_OP_MAP, IOMMU_IOAS_MAP_READABLE));
	assert_true(dt_op_iova_fixed(DT_OP_COPY, IOMMU_IOAS_MAP_FIXED_IOVA));
	assert_false(dt_op_iova_fixed(DT_OP_COPY, 0));
	assert_true(dt_op_iova_fixed(DT_OP_UNMAP, 0));
	assert_true(dt_op_iova_fixed(DT_OP_TYPE1_MAP, 0));
	assert_true(dt_op_iova_fixed(DT_OP_TYPE1_UNMAP, 0));
	/* ops without an IOVA are never "fixed" (was: any new op defaulted to fixed) */
	assert_false(dt_op_iova_fixed(DT_OP_IOAS_ALLOC, ~0u));
	assert_false(dt_op_iova_fixed(DT_OP_DESTROY, ~0u));
	assert_false(dt_op_iova_fixed(DT_OP_IOVA_RANGES, ~0u));
	assert_false(dt_op_iova_fixed(DT_OP_ALLOW_IOVAS, ~0u));
	assert_false(dt_op_iova_fixed(DT_OP_WINDOW_REQUEST, ~0u));
	assert_false(dt_op_iova_fixed(DT_OP_MAX, ~0u));
}

static void test_unmap_all(void **state)
{
	(void)state;
	assert_true(dt_op_unmap_all(DT_OP_UNMAP, 0, 0, ~0ULL));
	assert_false(dt_op_unmap_all(DT_OP_UNMAP, 0, 0, 0x1000));
	assert_false(dt_op_unmap_all(DT_OP_UNMAP, 0, 0x1000, ~0ULL));
	assert_true(dt_op_unmap_all(DT_OP_TYPE1_UNMAP, VFIO_DMA_UNMAP_FLAG_ALL, 0, 0));
	/* type1: only the flag says "all", not the range */
	assert_false(dt_op_unmap_all(DT_OP_TYPE1_UNMAP, 0, 0, ~0ULL));
}

static void test_kinds_and_bytes(void **state)
{
	unsigned int op, maps = 0, unmaps = 0;

	(void)state;
	for (op = 0; op < DT_OP_MAX; op++) {
		const struct dt_op_props *p = dt_op(op);

		if (p->kind == DT_KIND_MAP) {
			maps++;
			assert_int_equal(p->bytes, DT_BYTES_REQUEST);
		} else if (p->kind == DT_KIND_UNMAP) {
			unmaps++;
			assert_int_equal(p->bytes, DT_BYTES_RESULT);
		} else {
			assert_int_equal(p->bytes, DT_BYTES_NONE);
		}
		assert_true(p->backend < DT_BACKEND_MAX);
		assert_true(dt_backends[p->backend].dispatch != DT_DISPATCH_NONE);
	}
	assert_int_equal(maps, 4);	/* map, copy, type1_map, vfio_map_dma */
	assert_int_equal(unmaps, 3);	/* unmap, type1_unmap, vfio_unmap_dma */
	assert_int_equal(dt_op_kind(DT_OP_MAX), DT_KIND_QUERY);
	assert_false(dt_op_has(DT_OP_MAX, DT_OPF_WINDOWS));
	assert_true(dt_op_has(DT_OP_IOAS_ALLOC, DT_OPF_NEW_ID));
	assert_false(dt_op_has(DT_OP_WINDOW_REQUEST, DT_OPF_WINDOWS));
}

/* Names are the JSON keys of docs/ground-truth.md: unique, never empty */
static void test_names(void **state)
{
	unsigned int a, b;

	(void)state;
	for (a = 0; a < DT_OP_MAX; a++) {
		assert_non_null(dt_op_name(a));
		assert_true(strlen(dt_op_name(a)) > 0);
		assert_true(strncmp(dt_op_strings[a].uapi, "struct ", 7) == 0);
		for (b = a + 1; b < DT_OP_MAX; b++)
			assert_string_not_equal(dt_op_name(a), dt_op_name(b));
	}
	assert_string_equal(dt_op_name(DT_OP_MAP), "map");
	assert_string_equal(dt_op_strings[DT_OP_TYPE1_MAP].hook, "iommufd_vfio_ioctl");
	assert_string_equal(dt_op_strings[DT_OP_MAP].ioctl, "IOMMU_IOAS_MAP");
	assert_string_equal(dt_op_name(DT_OP_MAX), "unknown");
	assert_string_equal(dt_backend_name(DT_BACKEND_MAX), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iova_fixed),
		cmocka_unit_test(test_unmap_all),
		cmocka_unit_test(test_kinds_and_bytes),
		cmocka_unit_test(test_names),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("ops", tests, NULL, NULL);
}
