// SPDX-License-Identifier: GPL-2.0
/*
 * IOAS semantics of the ref against Linux 6.12 (ioas.c, io_pagetable.c,
 * selftest.c): MAP (fixed and automatic IOVA), UNMAP, COPY, IOVA_RANGES,
 * ALLOW_IOVAS, reserved ranges and mock domains. Expected values are
 * derived by hand from the kernel's code; comments give the reasoning.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ref_helpers.h"

#define U64MAX UINT64_MAX
#define UVA 0x7f0000000000ULL		/* 2^39-aligned user address */

static void assert_usage(struct fixture *f, __u32 ioas, __u64 nr_areas,
			 __u64 bytes)
{
	struct ref_ioas_usage u;
	const char *why;

	assert_int_equal(ref_ioas_usage(f->ctx, ioas, &u), 0);
	assert_int_equal(u.nr_areas, nr_areas);
	assert_int_equal(u.mapped_bytes, bytes);
	if (ref_ioas_check(f->ctx, ioas, &why))
		fail_msg("invariant: %s", why);
}

/* ---- IOAS_MAP with FIXED_IOVA and argument checks: table ---- */
struct map_case {
	const char *what;
	__u32 flags;
	__u64 uva, length, iova;
	int rc;
};

static void run_map_cases(struct fixture *f, const struct map_case *c,
			  size_t n)
{
	size_t i;

	for (i = 0; i != n; i++) {
		__u64 iova = c[i].iova;
		int rc = t_map(f->ctx, f->ioas, c[i].flags, c[i].uva,
			       c[i].length, &iova);

		if (rc != c[i].rc)
			fail_msg("%s: rc %d, want %d", c[i].what, rc, c[i].rc);
	}
}

static void test_map_fixed_errnos(void **state)
{
	struct fixture *f = *state;
	const struct map_case cases[] = {
		{ "plain", FIXED | RW, UVA, 0x1000, 0x100000, 0 },
		{ "same range", FIXED | RW, UVA, 0x1000, 0x100000, -EEXIST },
		{ "overlap tail", FIXED | RW, UVA, 0x2000, 0xff000, -EEXIST },
		{ "adjacent", FIXED | RW, UVA, 0x1000, 0x101000, 0 },
		{ "iova 0 is fine when fixed", FIXED | RW, UVA, 0x1000, 0, 0 },
		{ "length 0", FIXED | RW, UVA, 0, 0x200000, -EINVAL },
		{ "unknown flag", FIXED | RW | 8, UVA, 0x1000, 0x200000,
		  -EOPNOTSUPP },
		{ "neither read nor write", FIXED, UVA, 0x1000, 0x200000,
		  -EINVAL },
		{ "read only", FIXED | IOMMU_IOAS_MAP_READABLE, UVA, 0x1000,
		  0x200000, 0 },
		{ "iova ULONG_MAX", FIXED | RW, UVA, 0x1000, U64MAX,
		  -EOVERFLOW },
		{ "length ULONG_MAX", FIXED | RW, UVA, U64MAX, 0x300000,
		  -EOVERFLOW },
		{ "length > SIZE_MAX - PAGE_SIZE", FIXED | RW, 0, U64MAX - 1,
		  0x300000, -EINVAL },
		{ "uptr + length wraps", FIXED | RW, U64MAX - 0xfff, 0x1000,
		  0x300000, -EOVERFLOW },
		{ "iova + length wraps", FIXED | RW, UVA, 0x2000,
		  U64MAX - 0xfff, -EOVERFLOW },
		{ "byte granular without a domain", FIXED | RW, UVA + 3, 5,
		  0x400001, 0 },
	};

	run_map_cases(f, cases, sizeof(cases) / sizeof(cases[0]));
	assert_usage(f, f->ioas, 5, 0x1000 * 4 + 5);
}

static void test_map_reserved_field(void **state)
{
	struct fixture *f = *state;
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd), .flags = FIXED | RW, .ioas_id = f->ioas,
		.__reserved = 1, .user_va = UVA, .length = 0x1000,
		.iova = 0x1000,
	};

	assert_int_equal(iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_MAP,
					    (unsigned long)&cmd),
			 -EOPNOTSUPP);
	cmd.__reserved = 0;
	cmd.ioas_id = 99;
	assert_int_equal(iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_MAP,
					    (unsigned long)&cmd),
			 -ENOENT);
}

static void test_map_reserved_overlap(void **state)
{
	struct fixture *f = *state;
	const struct map_case cases[] = {
		{ "inside reserved", FIXED | RW, UVA, 0x1000, 0x10000,
		  -EINVAL },
		{ "touching reserved last byte", FIXED | RW, UVA, 0x1000,
		  0x1f000, -EINVAL },
		{ "below reserved", FIXED | RW, UVA, 0x1000, 0xf000, 0 },
		{ "above reserved", FIXED | RW, UVA, 0x1000, 0x20000, 0 },
		/* reserved is checked before areas */
		{ "reserved and area", FIXED | RW, UVA, 0x12000, 0xf000,
		  -EINVAL },
	};

	/* ADD_RESERVED [0x10000, 0x1ffff] */
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x10000, 0x10000), 0);
	run_map_cases(f, cases, sizeof(cases) / sizeof(cases[0]));
	/* add_reserved: length 0, wrap, unknown IOAS, over an area */
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x50000, 0), -EINVAL);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, U64MAX, 2),
			 -EOVERFLOW);
	assert_int_equal(t_add_reserved(f->ctx, 77, 0x50000, 1), -ENOENT);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0xf800, 0x1000),
			 -EADDRINUSE);
	/* overlapping reserved ranges are fine */
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x14000, 0x8000), 0);
}

/* ---- automatic IOVA placement (iopt_alloc_iova) ---- */
struct auto_case {
	const char *what;
	__u64 uva, length;
	int rc;
	__u64 iova;
};

static void run_auto_cases(struct fixture *f, __u32 ioas,
			   const struct auto_case *c, size_t n)
{
	size_t i;

	for (i = 0; i != n; i++) {
		__u64 iova = 0xdead0000;
		int rc = t_map(f->ctx, ioas, RW, c[i].uva, c[i].length, &iova);

		if (rc != c[i].rc)
			fail_msg("%s: rc %d, want %d", c[i].what, rc, c[i].rc);
		if (!rc && iova != c[i].iova)
			fail_msg("%s: iova 0x%llx, want 0x%llx", c[i].what,
				 (unsigned long long)iova,
				 (unsigned long long)c[i].iova);
	}
}

static void test_auto_empty(void **state)
{
	struct fixture *f = *state;
	const struct auto_case cases[] = {
		/* never 0: the search starts at PAGE_SIZE */
		{ "first page", UVA, 0x1000, 0, 0x1000 },
		{ "next page", UVA, 0x1000, 0, 0x2000 },
		/* align = min(roundup_pow2(len), 1 << ffs(uptr)) = 0x4000 */
		{ "16K aligned", UVA, 0x4000, 0, 0x4000 },
		/* uptr only 4K aligned: alignment 4K, goes in at 0x3000? no:
		 * [0x3000, 0x3fff] is one page, 0x2000 long does not fit;
		 * the next hole starts at 0x8000 */
		{ "uptr 4K aligned", UVA + 0x1000, 0x2000, 0, 0x8000 },
		{ "fills 0x3000", UVA + 0x1000, 0x1000, 0, 0x3000 },
		/* 2 MiB length, uptr 2^39 aligned: 2 MiB alignment */
		{ "2M aligned", UVA, 0x200000, 0, 0x200000 },
		/* 8 MiB length: alignment capped at HPAGE_SIZE (2 MiB) */
		{ "HPAGE cap", UVA, 0x800000, 0, 0x400000 },
		/* uptr 0: alignment from the length only (64K) */
		{ "uptr 0", 0, 0x10000, 0, 0x10000 },
		/* sub-page user offset is kept: align = 0x800, po = 0x800 */
		{ "page offset kept", UVA + 0x800, 0x800, 0, 0xa800 },
		/* length >= ULONG_MAX / 2 */
		{ "huge length", 0, 1ULL << 63, -EOVERFLOW, 0 },
		/* 2^62 long: 2 MiB aligned (cap) after the last area, which
		 * ends at 0xbfffff; the fourth would end past the top */
		{ "2^62 first", UVA, 1ULL << 62, 0, 0xc00000 },
		{ "2^62 second", UVA, 1ULL << 62, 0, 0x4000000000c00000ULL },
		{ "2^62 third", UVA, 1ULL << 62, 0, 0x8000000000c00000ULL },
		{ "2^62 no room", UVA, 1ULL << 62, -ENOSPC, 0 },
	};

	run_auto_cases(f, f->ioas, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_auto_allowed(void **state)
{
	struct fixture *f = *state;
	const struct iommu_iova_range allowed[] = {
		{ 0, 0x1fff },			/* clipped to start at 4K */
		{ 0x2000, 0x2fff },		/* adjacent: merged span */
		{ 0x100000, 0x1fffff },
	};
	const struct auto_case cases[] = {
		{ "merged adjacent spans", UVA + 0x1000, 0x2000, 0, 0x1000 },
		{ "next allowed range", UVA, 0x1000, 0, 0x100000 },
		{ "aligned inside it", UVA, 0x10000, 0, 0x110000 },
		{ "too big for any", UVA, 0x200000, -ENOSPC, 0 },
		/* hole [0x101000, 0x10ffff] is too short, the next fits */
		{ "skips short hole", UVA + 0x1000, 0xe0000, 0, 0x120000 },
		{ "back to first hole", UVA, 0x1000, 0, 0x101000 },
		/* align min(0x10000, 1 << ffs(uptr) = 0x2000) */
		{ "exactly the rest", UVA + 0x2000, 0xe000, 0, 0x102000 },
		{ "now full", UVA, 0x1000, -ENOSPC, 0 },
	};
	__u64 iova = 0x5000;

	assert_int_equal(t_allow(f->ctx, f->ioas, allowed, 3), 0);
	run_auto_cases(f, f->ioas, cases, sizeof(cases) / sizeof(cases[0]));
	/* fixed maps may go outside the allowed ranges */
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), 0);
}

static void test_auto_holes(void **state)
{
	struct fixture *f = *state;
	const struct auto_case cases[] = {
		/* reserved [0x1000, 0x4fff], area [0x5000, 0x5fff] */
		{ "after reserved and area", UVA, 0x1000, 0, 0x6000 },
		/* hole [0x7000, 0x7fff] between area and reserved 0x8000 */
		{ "small hole first", UVA, 0x1000, 0, 0x7000 },
		{ "past second reserved", UVA, 0x2000, 0, 0x10000 },
	};
	__u64 iova = 0x5000;

	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x1000, 0x4000), 0);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x8000, 0x8000), 0);
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), 0);
	run_auto_cases(f, f->ioas, cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_mock_domain(void **state)
{
	struct fixture *f = *state;
	const struct auto_case cases[] = {
		/* aperture 0x1000000..0x7fffffff: first fit at its start */
		{ "aperture start", UVA, 0x1000, 0, 0x1000000 },
		/* alignment from uptr 0x400 < iova_alignment 0x800 */
		{ "uptr below alignment", UVA + 0x400, 0x800, -EINVAL, 0 },
		{ "length not aligned", UVA, 0x400, -EINVAL, 0 },
		{ "half page", UVA + 0x800, 0x800, 0, 0x1001800 },
		{ "beyond aperture", UVA, 0x80000000, -ENOSPC, 0 },
	};
	struct iommu_iova_range r[2];
	__u32 stdev, hwpt, idev, num = 2;
	__u64 align, iova;

	assert_int_equal(t_mock_domain(f->ctx, f->ioas, &stdev, &hwpt, &idev),
			 0);
	/* ids in the kernel's order: selftest object, device, hw_pagetable */
	assert_int_equal(stdev, 2);
	assert_int_equal(idev, 3);
	assert_int_equal(hwpt, 4);
	assert_int_equal(t_iova_ranges(f->ctx, f->ioas, r, &num, &align), 0);
	assert_int_equal(num, 1);
	assert_int_equal(r[0].start, MOCK_APERTURE_START);
	assert_int_equal(r[0].last, MOCK_APERTURE_LAST);
	assert_int_equal(align, 0x800);
	run_auto_cases(f, f->ioas, cases, sizeof(cases) / sizeof(cases[0]));
	iova = 0x1000;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), -EINVAL);
	iova = 0x2000400;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), -EINVAL);
	iova = 0x2000800;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA + 0x800,
			       0x800, &iova), 0);
	/* the user address' page offset must be aligned too */
	iova = 0x3000000;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA + 0x100,
			       0x800, &iova), -EINVAL);
	/* allowed ranges may not hit the reserved aperture complement */
	r[0] = (struct iommu_iova_range){ 0x1000, 0x1ffffff };
	assert_int_equal(t_allow(f->ctx, f->ioas, r, 1), -EADDRINUSE);
	/* busy objects */
	assert_int_equal(t_destroy(f->ctx, f->ioas), -EBUSY);
	assert_int_equal(t_destroy(f->ctx, hwpt), -EBUSY);
	assert_int_equal(t_destroy(f->ctx, idev), -EBUSY);
	assert_int_equal(t_destroy(f->ctx, stdev), 0);
	num = 2;
	assert_int_equal(t_iova_ranges(f->ctx, f->ioas, r, &num, &align), 0);
	assert_int_equal(num, 1);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].last, U64MAX);
	assert_int_equal(align, 1);
	assert_int_equal(t_destroy(f->ctx, hwpt), -ENOENT);
	assert_int_equal(t_destroy(f->ctx, f->ioas), 0);
}

static void test_mock_domain_shared(void **state)
{
	struct fixture *f = *state;
	__u32 s1, h1, d1, s2, h2, d2, s3, h3, num = 0;

	assert_int_equal(t_mock_domain(f->ctx, f->ioas, &s1, &h1, &d1), 0);
	assert_int_equal(t_mock_domain(f->ctx, f->ioas, &s2, &h2, &d2), 0);
	/* the second device joins the auto domain */
	assert_int_equal(h2, h1);
	assert_int_equal(s2, 5);
	assert_int_equal(d2, 6);
	/* attach by hw_pagetable id */
	assert_int_equal(t_mock_domain(f->ctx, h1, &s3, &h3, NULL), 0);
	assert_int_equal(h3, h1);
	/* attach to a device id: not a page table */
	assert_int_equal(t_mock_domain(f->ctx, d1, NULL, NULL, NULL), -EINVAL);
	assert_int_equal(t_mock_domain(f->ctx, 1000, NULL, NULL, NULL),
			 -ENOENT);
	assert_int_equal(t_destroy(f->ctx, s1), 0);
	assert_int_equal(t_destroy(f->ctx, s3), 0);
	/* the domain stays while a device uses it */
	assert_int_equal(t_iova_ranges(f->ctx, f->ioas, NULL, &num, NULL),
			 -EMSGSIZE);
	assert_int_equal(num, 1);
	assert_int_equal(t_destroy(f->ctx, h1), -EBUSY);
	assert_int_equal(t_destroy(f->ctx, s2), 0);
	assert_int_equal(t_destroy(f->ctx, h1), -ENOENT);
	/* freed ids are reused lowest first */
	assert_int_equal(t_mock_domain(f->ctx, f->ioas, &s1, &h1, &d1), 0);
	assert_int_equal(s1, 2);
	assert_int_equal(d1, 3);
	assert_int_equal(h1, 4);
}

static void test_mock_domain_conflicts(void **state)
{
	struct fixture *f = *state;
	const struct iommu_iova_range allowed = { 0x1000000, 0x80000000 };
	__u64 iova = 0x1000;
	__u32 s;

	/* an area outside the aperture */
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), 0);
	assert_int_equal(t_mock_domain(f->ctx, f->ioas, NULL, NULL, NULL),
			 -EADDRINUSE);
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0x1000, &(__u64){ 0x1000 }),
			 0);
	/* an area not aligned to MOCK_IO_PAGE_SIZE */
	iova = 0x2000100;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x100, &iova),
			 0);
	assert_int_equal(t_mock_domain(f->ctx, f->ioas, NULL, NULL, NULL),
			 -EADDRINUSE);
	assert_int_equal(t_unmap(f->ctx, f->ioas, iova, &(__u64){ 0x100 }), 0);
	/* an allowed range reaching past the aperture */
	assert_int_equal(t_allow(f->ctx, f->ioas, &allowed, 1), 0);
	assert_int_equal(t_mock_domain(f->ctx, f->ioas, NULL, NULL, NULL),
			 -EADDRINUSE);
	assert_int_equal(t_allow(f->ctx, f->ioas, NULL, 0), 0);
	/* failed attaches gave their ids back */
	assert_int_equal(t_mock_domain(f->ctx, f->ioas, &s, NULL, NULL), 0);
	assert_int_equal(s, 2);
	/* reserve over an allowed range */
	assert_int_equal(t_destroy(f->ctx, s), 0);
	assert_int_equal(t_allow(f->ctx, f->ioas, &allowed, 1), 0);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x80000000, 1),
			 -EADDRINUSE);
}

/* ---- IOAS_UNMAP ---- */
static void test_unmap(void **state)
{
	struct fixture *f = *state;
	__u64 iova, len;

	iova = 0x1000;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), 0);
	iova = 0x2000;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x2000,
			       &iova), 0);
	iova = 0x10000;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), 0);
	len = 0;
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0x1000, &len), -EINVAL);
	/* iova 0, length 0 is not "unmap all" for IOAS_UNMAP */
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0, &len), -EINVAL);
	len = U64MAX;
	assert_int_equal(t_unmap(f->ctx, f->ioas, 1, &len), -EOVERFLOW);
	len = 0x2000;
	assert_int_equal(t_unmap(f->ctx, f->ioas, U64MAX - 0xfff, &len),
			 -EOVERFLOW);
	len = 0x1000;
	assert_int_equal(t_unmap(f->ctx, 55, 0x1000, &len), -ENOENT);
	len = 0x1000;
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0x5000, &len), -ENOENT);
	/* cuts the second area: the first one is already gone (kernel) */
	len = 0x2000;
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0x1000, &len), -ENOENT);
	assert_int_equal(len, 0x2000);
	assert_usage(f, f->ioas, 2, 0x3000);
	/* a range that covers several areas and holes */
	len = 0x100000;
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0, &len), 0);
	assert_int_equal(len, 0x3000);
	assert_usage(f, f->ioas, 0, 0);
	/* unmap all: succeeds on an empty IOAS with length 0 */
	len = U64MAX;
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0, &len), 0);
	assert_int_equal(len, 0);
	iova = 0;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), 0);
	iova = 0xfffffffffffff000ULL;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x1000,
			       &iova), 0);
	len = U64MAX;
	assert_int_equal(t_unmap(f->ctx, f->ioas, 0, &len), 0);
	assert_int_equal(len, 0x2000);
	assert_usage(f, f->ioas, 0, 0);
}

/* ---- IOAS_COPY ---- */
static void test_copy(void **state)
{
	struct fixture *f = *state;
	__u32 dst;
	__u64 iova, len;

	assert_int_equal(t_ioas_alloc(f->ctx, &dst), 0);
	iova = 0x100000;
	assert_int_equal(t_map(f->ctx, f->ioas, FIXED | RW, UVA, 0x2000,
			       &iova), 0);
	iova = 0x102000;
	assert_int_equal(t_map(f->ctx, f->ioas,
			       FIXED | IOMMU_IOAS_MAP_READABLE, UVA + 0x10000,
			       0x1000, &iova), 0);
	/* checks before the source is looked at */
	iova = 0;
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW | 16, 0x100000,
				0x1000, &iova), -EOPNOTSUPP);
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, FIXED, 0x100000,
				0x1000, &iova), -EINVAL);
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW, U64MAX, 0x1000,
				&iova), -EOVERFLOW);
	assert_int_equal(t_copy(f->ctx, dst, 42, RW, 0x100000, 0x1000, &iova),
			 -ENOENT);
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW, 0x100000, 0, &iova),
			 -EINVAL);
	/* source not fully covered */
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW, 0xff000, 0x2000,
				&iova), -ENOENT);
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW, 0x102000, 0x2000,
				&iova), -ENOENT);
	assert_int_equal(t_copy(f->ctx, 42, f->ioas, RW, 0x100000, 0x1000,
				&iova), -ENOENT);
	/* write access to pages pinned read-only */
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW, 0x101000, 0x2000,
				&iova), -EPERM);
	/* automatic destination from the first slice's user address:
	 * uptr UVA + 0x1000 -> 4K alignment, first fit at 0x1000 */
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, IOMMU_IOAS_MAP_READABLE,
				0x101000, 0x2000, &iova), 0);
	assert_int_equal(iova, 0x1000);
	/* two source areas become two destination areas */
	assert_usage(f, dst, 2, 0x2000);
	len = 0x1000;
	assert_int_equal(t_unmap(f->ctx, dst, 0x1000, &len), 0);
	/* fixed destination over an existing area */
	iova = 0x2000;
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, FIXED | RW, 0x100000,
				0x1000, &iova), -EEXIST);
	iova = 0x8000;
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, FIXED | RW, 0x100000,
				0x2000, &iova), 0);
	assert_int_equal(iova, 0x8000);
	/* copy within one IOAS */
	iova = 0;
	assert_int_equal(t_copy(f->ctx, f->ioas, f->ioas, RW, 0x100000, 0x2000,
				&iova), 0);
	assert_int_equal(iova, 0x2000);
	assert_usage(f, dst, 2, 0x3000);
	assert_usage(f, f->ioas, 3, 0x5000);
	/* CONFIG_IOMMUFD_TEST: flag bit 16 makes src_iova {nth area, offset}:
	 * area 0 is the copy at 0x2000, area 1 is [0x100000, 0x101fff];
	 * offset 0x1000 -> 0x101000, user address UVA + 0x1000: 4K aligned,
	 * first fit in dst at 0x1000 (unmapped above) */
	iova = 0;
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW | (1 << 16),
				(0x1000ULL << 32) | 1, 0x1000, &iova), 0);
	assert_int_equal(iova, 0x1000);
	/* no 9th area: the source IOVA becomes 0, not mapped */
	assert_int_equal(t_copy(f->ctx, dst, f->ioas, RW | (1 << 16), 9,
				0x1000, &iova), -ENOENT);
}

/* ---- IOAS_IOVA_RANGES / IOAS_ALLOW_IOVAS ---- */
static void test_iova_ranges(void **state)
{
	struct fixture *f = *state;
	struct iommu_iova_range r[4] = {};
	const struct iommu_iova_range allowed = { 0x100000, 0x1fffff };
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd), .ioas_id = f->ioas, .__reserved = 1,
	};
	__u32 num = 4;
	__u64 align;

	assert_int_equal(iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_IOVA_RANGES,
					    (unsigned long)&cmd),
			 -EOPNOTSUPP);
	assert_int_equal(t_iova_ranges(f->ctx, 9, r, &num, &align), -ENOENT);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x1000, 0x1000), 0);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x1800, 0x1000), 0);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x2800, 0x800), 0);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x10000, 0x10), 0);
	/* allowed ranges are not part of the answer */
	assert_int_equal(t_allow(f->ctx, f->ioas, &allowed, 1), 0);
	assert_int_equal(t_iova_ranges(f->ctx, f->ioas, r, &num, &align), 0);
	assert_int_equal(num, 3);
	assert_int_equal(r[0].start, 0);
	assert_int_equal(r[0].last, 0xfff);
	assert_int_equal(r[1].start, 0x3000);
	assert_int_equal(r[1].last, 0xffff);
	assert_int_equal(r[2].start, 0x10010);
	assert_int_equal(r[2].last, U64MAX);
	assert_int_equal(align, 1);
	/* short array: what fits is written, num says what is needed */
	memset(r, 0, sizeof(r));
	num = 2;
	assert_int_equal(t_iova_ranges(f->ctx, f->ioas, r, &num, &align),
			 -EMSGSIZE);
	assert_int_equal(num, 3);
	assert_int_equal(r[1].start, 0x3000);
	assert_int_equal(r[2].start, 0);
}

static void test_allow_iovas(void **state)
{
	struct fixture *f = *state;
	const struct iommu_iova_range bad_order = { 0x2000, 0x2000 };
	const struct iommu_iova_range overlapping[] = {
		{ 0x1000, 0x2fff }, { 0x2000, 0x4fff },
	};
	const struct iommu_iova_range hits_reserved = { 0x8000, 0x20000 };
	const struct iommu_iova_range fine[] = {
		{ 0x1000, 0x7fff }, { 0x20000, 0x2ffff },
	};
	struct iommu_ioas_allow_iovas cmd = {
		.size = sizeof(cmd), .ioas_id = f->ioas, .__reserved = 1,
	};
	struct ref_ioas_usage u;
	__u64 iova;

	assert_int_equal(iommufd_fops_ioctl(f->ctx, IOMMU_IOAS_ALLOW_IOVAS,
					    (unsigned long)&cmd),
			 -EOPNOTSUPP);
	assert_int_equal(t_allow(f->ctx, 9, fine, 2), -ENOENT);
	assert_int_equal(t_allow(f->ctx, f->ioas, &bad_order, 1), -EINVAL);
	assert_int_equal(t_allow(f->ctx, f->ioas, overlapping, 2), -EINVAL);
	assert_int_equal(t_add_reserved(f->ctx, f->ioas, 0x10000, 0x1000), 0);
	assert_int_equal(t_allow(f->ctx, f->ioas, &hits_reserved, 1),
			 -EADDRINUSE);
	assert_int_equal(t_allow(f->ctx, f->ioas, fine, 2), 0);
	/* a failed update keeps the old list */
	assert_int_equal(t_allow(f->ctx, f->ioas, &hits_reserved, 1),
			 -EADDRINUSE);
	assert_int_equal(ref_ioas_usage(f->ctx, f->ioas, &u), 0);
	assert_int_equal(u.nr_allowed, 2);
	iova = 0;
	assert_int_equal(t_map(f->ctx, f->ioas, RW, UVA, 0x10000, &iova), 0);
	assert_int_equal(iova, 0x20000);
	/* the empty list clears */
	assert_int_equal(t_allow(f->ctx, f->ioas, NULL, 0), 0);
	assert_int_equal(ref_ioas_usage(f->ctx, f->ioas, &u), 0);
	assert_int_equal(u.nr_allowed, 0);
	assert_int_equal(t_map(f->ctx, f->ioas, RW, UVA, 0x10000, &iova), 0);
	assert_int_equal(iova, 0x30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_map_fixed_errnos),
		T(test_map_reserved_field),
		T(test_map_reserved_overlap),
		T(test_auto_empty),
		T(test_auto_allowed),
		T(test_auto_holes),
		T(test_mock_domain),
		T(test_mock_domain_shared),
		T(test_mock_domain_conflicts),
		T(test_unmap),
		T(test_copy),
		T(test_iova_ranges),
		T(test_allow_iovas),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
