// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd_fops_ioctl() of the ref against Linux 6.12 main.c: ioctl number
 * decoding, struct size rules, object ids, destroy, concurrency.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include "ref_helpers.h"

struct ioctl_case {
	const char *what;
	unsigned int cmd;
	__u32 size;
	int rc;
};

static void test_decoding(void **state)
{
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	const struct ioctl_case cases[] = {
		{ "alloc", IOMMU_IOAS_ALLOC, 12, 0 },
		{ "alloc, shorter than min_size", IOMMU_IOAS_ALLOC, 11,
		  -EINVAL },
		{ "alloc, longer, zero tail", IOMMU_IOAS_ALLOC, 64, 0 },
		{ "gap in the op table", _IO(IOMMUFD_TYPE, 0x8f), 64, -ENOTTY },
		{ "nr past the table -> vfio", _IO(IOMMUFD_TYPE, 0xa1), 64,
		  -ENOTTY },
		{ "nr below the base -> vfio", _IO(IOMMUFD_TYPE, 0x7f), 64,
		  -ENOTTY },
		{ "right nr, other encoding", _IOW(IOMMUFD_TYPE, 0x81, __u32),
		  12, -ENOTTY },
		{ "right nr, other type", _IO('x', 0x81), 12, -ENOTTY },
		{ "option, shorter than min_size", IOMMU_OPTION, 16, -EINVAL },
		{ "unmodelled HWPT_ALLOC", _IO(IOMMUFD_TYPE, 0x89), 64,
		  -EOPNOTSUPP },
		{ "destroy, size 7", IOMMU_DESTROY, 7, -EINVAL },
		{ "destroy id 0", IOMMU_DESTROY, 8, -ENOENT },
		{ "test cmd short", IOMMU_TEST_CMD,
		  offsetof(struct iommu_test_cmd, last), -EINVAL },
	};
	__u32 buf[16];
	size_t i;

	(void)state;
	for (i = 0; i != sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;

		memset(buf, 0, sizeof(buf));
		buf[0] = cases[i].size;
		rc = iommufd_fops_ioctl(ctx, cases[i].cmd, (unsigned long)buf);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, want %d", cases[i].what, rc,
				 cases[i].rc);
	}
	/* a non-zero byte past the known struct: -E2BIG */
	memset(buf, 0, sizeof(buf));
	buf[0] = 16;
	buf[3] = 1;
	assert_int_equal(iommufd_fops_ioctl(ctx, IOMMU_IOAS_ALLOC,
					    (unsigned long)buf), -E2BIG);
	/* flags -> -EOPNOTSUPP; the id came back in the user struct */
	memset(buf, 0, sizeof(buf));
	buf[0] = 12;
	buf[1] = 1;
	assert_int_equal(iommufd_fops_ioctl(ctx, IOMMU_IOAS_ALLOC,
					    (unsigned long)buf), -EOPNOTSUPP);
	buf[1] = 0;
	assert_int_equal(iommufd_fops_ioctl(ctx, IOMMU_IOAS_ALLOC,
					    (unsigned long)buf), 0);
	assert_int_equal(buf[2], 3);
	/* no user struct at all */
	assert_int_equal(iommufd_fops_ioctl(ctx, IOMMU_IOAS_ALLOC, 0), -EFAULT);
	iommufd_ctx_destroy(ctx);
}

static void test_short_user_struct(void **state)
{
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd) - 8, .ioas_id = 1,
	};
	__u32 id;

	(void)state;
	assert_int_equal(t_ioas_alloc(ctx, &id), 0);
	/* min_size reaches out_iova_alignment: 8 bytes short is -EINVAL */
	assert_int_equal(iommufd_fops_ioctl(ctx, IOMMU_IOAS_IOVA_RANGES,
					    (unsigned long)&cmd), -EINVAL);
	iommufd_ctx_destroy(ctx);
}

static void test_ids(void **state)
{
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	__u32 id[5];
	int i;

	(void)state;
	for (i = 0; i != 5; i++) {
		assert_int_equal(t_ioas_alloc(ctx, &id[i]), 0);
		assert_int_equal(id[i], i + 1);
	}
	assert_int_equal(t_destroy(ctx, 2), 0);
	assert_int_equal(t_destroy(ctx, 4), 0);
	assert_int_equal(t_destroy(ctx, 4), -ENOENT);
	assert_int_equal(t_destroy(ctx, 77), -ENOENT);
	assert_int_equal(t_ioas_alloc(ctx, &id[0]), 0);
	assert_int_equal(id[0], 2);
	assert_int_equal(t_ioas_alloc(ctx, &id[0]), 0);
	assert_int_equal(id[0], 4);
	assert_int_equal(t_ioas_alloc(ctx, &id[0]), 0);
	assert_int_equal(id[0], 6);
	iommufd_ctx_destroy(ctx);
}

static void test_unknown_test_op(void **state)
{
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	/* ops 3.. exist in the kernel (not modelled); 0x1000 exists nowhere */
	struct iommu_test_cmd cmd = { .size = sizeof(cmd), .op = 0x1000 };

	(void)state;
	assert_int_equal(iommufd_fops_ioctl(ctx, IOMMU_TEST_CMD,
					    (unsigned long)&cmd), -EOPNOTSUPP);
	iommufd_ctx_destroy(ctx);
}

static int option(struct iommufd_ctx *ctx, __u32 id, __u16 op, __u32 obj,
		  __u64 *val)
{
	struct iommu_option cmd = {
		.size = sizeof(cmd), .option_id = id, .op = op,
		.object_id = obj, .val64 = *val,
	};
	int rc = iommufd_fops_ioctl(ctx, IOMMU_OPTION, (unsigned long)&cmd);

	*val = cmd.val64;
	return rc;
}

static void test_option(void **state)
{
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	struct ref_ioas_usage u;
	__u64 v = 1;
	__u32 ioas;

	(void)state;
	/* RLIMIT_MODE: settable only while the context has no object */
	assert_int_equal(option(ctx, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_SET, 0, &v), 0);
	v = 0;
	assert_int_equal(option(ctx, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_GET, 0, &v), 0);
	assert_int_equal(v, 1);
	v = 2;
	assert_int_equal(option(ctx, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_SET, 0, &v), -EINVAL);
	assert_int_equal(option(ctx, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_GET, 1, &v), -EOPNOTSUPP);
	assert_int_equal(option(ctx, 5, IOMMU_OPTION_OP_GET, 0, &v),
			 -EOPNOTSUPP);
	assert_int_equal(t_ioas_alloc(ctx, &ioas), 0);
	v = 0;
	assert_int_equal(option(ctx, IOMMU_OPTION_RLIMIT_MODE,
				IOMMU_OPTION_OP_SET, 0, &v), -EBUSY);
	/* HUGE_PAGES: off means PAGE_SIZE IOVA alignment */
	assert_int_equal(option(ctx, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_GET, ioas, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(option(ctx, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_GET, 99, &v), -ENOENT);
	v = 2;
	assert_int_equal(option(ctx, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_SET, ioas, &v), -EINVAL);
	v = 0;
	assert_int_equal(option(ctx, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_SET, ioas, &v), 0);
	assert_int_equal(ref_ioas_usage(ctx, ioas, &u), 0);
	assert_int_equal(u.iova_alignment, 0x1000);
	v = 1;
	assert_int_equal(option(ctx, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_SET, ioas, &v), 0);
	assert_int_equal(ref_ioas_usage(ctx, ioas, &u), 0);
	assert_int_equal(u.iova_alignment, 1);
	/* a sub-page area forbids turning huge pages off */
	assert_int_equal(t_map(ctx, ioas, FIXED | RW, 0x10000000, 0x800,
			       &(__u64){ 0x1000 }), 0);
	v = 0;
	assert_int_equal(option(ctx, IOMMU_OPTION_HUGE_PAGES,
				IOMMU_OPTION_OP_SET, ioas, &v), -EADDRINUSE);
	iommufd_ctx_destroy(ctx);
}

struct thread_arg {
	struct iommufd_ctx *ctx;
	__u32 ioas;
	int failures;
};

static void *mapper(void *p)
{
	struct thread_arg *a = p;
	int i;

	for (i = 0; i != 2000; i++) {
		__u64 iova = 0, len = 0x1000;

		if (t_map(a->ctx, a->ioas, RW, 0x10000000, 0x1000, &iova) ||
		    t_unmap(a->ctx, a->ioas, iova, &len) || len != 0x1000)
			a->failures++;
	}
	return NULL;
}

static void test_concurrent_maps(void **state)
{
	struct thread_arg args[4];
	pthread_t threads[4];
	struct ref_ioas_usage u;
	struct iommufd_ctx *ctx = iommufd_ctx_create();
	__u32 ioas;
	int i;

	(void)state;
	assert_int_equal(t_ioas_alloc(ctx, &ioas), 0);
	for (i = 0; i != 4; i++) {
		args[i] = (struct thread_arg){ .ctx = ctx, .ioas = ioas };
		assert_int_equal(pthread_create(&threads[i], NULL, mapper,
						&args[i]), 0);
	}
	for (i = 0; i != 4; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(args[i].failures, 0);
	}
	assert_int_equal(ref_ioas_usage(ctx, ioas, &u), 0);
	assert_int_equal(u.nr_areas, 0);
	iommufd_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_short_user_struct),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_unknown_test_op),
		cmocka_unit_test(test_option),
		cmocka_unit_test(test_concurrent_maps),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
