// SPDX-License-Identifier: GPL-2.0
/*
 * EXTENSION: the seed RFC's multi-window IOAS (include/ref/window.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "ref_helpers.h"
#include "ref/window.h"

#define GiB (1ULL << 30)
#define P59 (1ULL << 59)

static int window_add(struct fixture *f, __u64 base, __u64 length,
		      __u64 page_size, __u32 *index)
{
	struct iommu_ioas_window_add cmd = {
		.size = sizeof(cmd), .ioas_id = f->ioas, .base = base,
		.length = length, .page_size = page_size,
	};
	int rc = iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_WINDOW_ADD,
				    (unsigned long)&cmd);

	if (!rc && index)
		*index = cmd.out_window_index;
	return rc;
}

static int window_request(struct fixture *f, __u64 min_length,
			  __u64 page_size, struct iommu_ioas_window_request *out)
{
	*out = (struct iommu_ioas_window_request){
		.size = sizeof(*out), .ioas_id = f->ioas,
		.min_length = min_length, .page_size = page_size,
	};
	return iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_WINDOW_REQUEST,
				  (unsigned long)out);
}

struct add_case {
	const char *what;
	__u64 base, length, page_size;
	int rc;
};

static void test_add_rules(void **state)
{
	struct fixture *f = *state;
	const struct add_case cases[] = {
		{ "POWER low window", 0, 2 * GiB, 0x1000, 0 },
		{ "POWER high window, 3 GiB", P59, 3 * GiB, 0x10000, 0 },
		{ "overlap", GiB, 2 * GiB, 0x1000, -EEXIST },
		{ "overlap high", P59 + 3 * GiB - 0x10000, 0x20000, 0x10000,
		  -EEXIST },
		{ "length 0", 4 * GiB, 0, 0x1000, -EINVAL },
		{ "page size not a power of 2", 4 * GiB, GiB, 0x3000,
		  -EINVAL },
		{ "page size below 4K", 4 * GiB, GiB, 0x800, -EINVAL },
		{ "base not page aligned", 4 * GiB + 0x1000, GiB, 0x10000,
		  -EINVAL },
		{ "length not page aligned", 4 * GiB, GiB + 0x1000, 0x10000,
		  -EINVAL },
		{ "wraps", UINT64_MAX - 0xfff, 0x2000, 0x1000, -EOVERFLOW },
		{ "between the two", 4 * GiB, 5 * GiB, 0x200000, 0 },
	};
	struct iommu_ioas_window_add cmd = {
		.size = sizeof(cmd), .ioas_id = f->ioas, .flags = 1,
	};
	__u32 index;
	size_t i;

	for (i = 0; i != sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = window_add(f, cases[i].base, cases[i].length,
				    cases[i].page_size, &index);

		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].what, rc,
				 cases[i].rc);
	}
	assert_int_equal(index, 1);	/* kept in base order */
	assert_int_equal(iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_WINDOW_ADD,
					    (unsigned long)&cmd), -EOPNOTSUPP);
	cmd.flags = 0;
	cmd.ioas_id = 50;
	assert_int_equal(iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_WINDOW_ADD,
					    (unsigned long)&cmd), -ENOENT);
}

static void test_request(void **state)
{
	struct fixture *f = *state;
	struct iommu_ioas_window_request r;

	assert_int_equal(window_request(f, GiB, 0, &r), -ENOSPC);
	assert_int_equal(window_add(f, 0, 2 * GiB, 0x1000, NULL), 0);
	assert_int_equal(window_add(f, P59, 3 * GiB, 0x10000, NULL), 0);
	assert_int_equal(window_request(f, 0, 0, &r), -EINVAL);
	/* smallest window that fits */
	assert_int_equal(window_request(f, GiB, 0, &r), 0);
	assert_int_equal(r.out_base, 0);
	assert_int_equal(r.out_length, 2 * GiB);
	assert_int_equal(r.out_page_size, 0x1000);
	assert_int_equal(window_request(f, 2 * GiB + 1, 0, &r), 0);
	assert_int_equal(r.out_base, P59);
	assert_int_equal(r.out_window_index, 1);
	/* "at least 1 GiB with 64K pages" -> the 2^59 window */
	assert_int_equal(window_request(f, GiB, 0x10000, &r), 0);
	assert_int_equal(r.out_base, P59);
	assert_int_equal(r.out_page_size, 0x10000);
	assert_int_equal(window_request(f, 4 * GiB, 0, &r), -ENOSPC);
	assert_int_equal(window_request(f, GiB, 0x200000, &r), -ENOSPC);
	/* equal sizes: the lower base wins */
	assert_int_equal(window_add(f, 4 * GiB, 2 * GiB, 0x1000, NULL), 0);
	assert_int_equal(window_request(f, GiB, 0, &r), 0);
	assert_int_equal(r.out_base, 0);
}

static void test_maps_in_windows(void **state)
{
	struct fixture *f = *state;
	__u64 iova;

	/* entering windows mode must not orphan an area */
	iova = 3 * GiB;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, 0x10000000,
			       0x1000, &iova), 0);
	assert_int_equal(window_add(f, 0, 2 * GiB, 0x1000, NULL),
			 -EADDRINUSE);
	assert_int_equal(t_unmap(f->ctx, f->ioas, iova, &(__u64){ 0x1000 }),
			 0);
	assert_int_equal(window_add(f, 0, 2 * GiB, 0x1000, NULL), 0);
	assert_int_equal(window_add(f, P59, 3 * GiB, 0x10000, NULL), 0);
	/* outside every window */
	iova = 3 * GiB;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, 0x10000000,
			       0x1000, &iova), -EINVAL);
	/* straddles the end of a window */
	iova = 2 * GiB - 0x1000;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, 0x10000000,
			       0x2000, &iova), -EINVAL);
	/* 4K map in the 64K window */
	iova = P59;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, 0x10000000,
			       0x1000, &iova), -EINVAL);
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, 0x10000000,
			       0x10000, &iova), 0);
	/* automatic: a 64K multiple goes to the first window at 4K... */
	iova = 0;
	assert_int_equal(t_map(f->ctx, f->ioas, RW, 0x10001000, 0x10000,
			       &iova), 0);
	assert_int_equal(iova, 0x1000);
	/* ...a request too big for it goes to the 2^59 window */
	assert_int_equal(t_map(f->ctx, f->ioas, RW, 0x10000000, 2 * GiB,
			       &iova), 0);
	assert_int_equal(iova, P59 + 0x200000);
	/* nothing fits */
	assert_int_equal(t_map(f->ctx, f->ioas, RW, 0x10000000, 2 * GiB,
			       &iova), -ENOSPC);
	/* mainline IOVA_RANGES is unchanged by windows */
	{
		struct iommu_iova_range r[2];
		__u32 num = 2;

		assert_int_equal(t_iova_ranges(f->ctx, f->ioas, r, &num, NULL),
				 0);
		assert_int_equal(num, 1);
	}
}

static void test_kernel_would_say_enotty(void **state)
{
	struct fixture *f = *state;
	__u32 buf[16] = { sizeof(buf) };

	/* unknown 'w' number */
	assert_int_equal(iommufd_fops_ioctl(f->ctx, _IO('w', 0x03),
					    (unsigned long)buf), -ENOTTY);
	/* the 'w' numbers are not iommufd's nor VFIO's */
	assert_true(_IOC_TYPE(IOMMU_IOAS_WINDOW_ADD) != IOMMUFD_TYPE);
	assert_true(_IOC_NR(IOMMU_IOAS_WINDOW_ADD) < IOMMUFD_CMD_BASE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_add_rules),
		T(test_request),
		T(test_maps_in_windows),
		T(test_kernel_would_say_enotty),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
