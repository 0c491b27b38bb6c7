#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# VM tier: the kernel's iommufd selftest as a workload under dmatrace on
# the real kernel, fentry and forced kprobes; dmatrace's counts against an
# ftrace count (cases in tests/vm/guest/selftest.sh). The selftest is built
# here from the linux-source-6.12 tarball (tools/vm/build-ksft.sh) into
# build/ksft/. Only the IOAS fixtures run (map, unmap, copy, iova_ranges,
# allow_iovas, access, the type1 compat layer): iommufd, iommufd_ioas,
# iommufd_mock_domain, vfio_compat_mock_domain; without the variant that
# asks for a PASID mock device (iommufd_ioas.mock_domain) and the
# get_hw_info tests, which need uAPI later than 6.12
# (tools/vm/ksft-compat.h). The guest reserves 16 huge pages for the
# MAP_HUGETLB tests.
. tests/vm/lib.sh
vm_require
[ -x bin/dmatrace ] || { echo "1..1"; echo "not ok 1 - bin/dmatrace is built (run make first)"; exit 0; }
mkdir -p build
ksft=$(tools/vm/build-ksft.sh 2> build/ksft-build.err)
case $? in
0) ;;
3) vm_skip_all "$(cat build/ksft-build.err) - no kernel selftest source" ;;
*)
	echo "1..1"
	echo "not ok 1 - the iommufd selftest builds (tools/vm/build-ksft.sh)"
	sed 's/^/#   /' build/ksft-build.err
	exit 0
	;;
esac
vm_suite --timeout 600 tests/vm/guest/selftest.sh "$ksft" \
	-V mock_domain -T get_hw_info \
	-f iommufd -f iommufd_ioas -f iommufd_mock_domain -f vfio_compat_mock_domain
