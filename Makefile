# SPDX-License-Identifier: GPL-2.0
# dmatrace: top-level build. Each part of the tree adds its targets in its
# own fragment (*.mk), included below; `make` builds everything into bin/.

CC	?= cc
CLANG	?= clang
BPFTOOL	?= bpftool
ARCH	:= $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')

BIN	:= bin
OUT	:= build

# CFLAGS, CPPFLAGS, LDFLAGS and LDLIBS are the user's (make CFLAGS="-O0 -g");
# the flags the code needs are DT_*, always added after them.
CFLAGS	?= -O2 -g
DT_CFLAGS   := -Wall -Wextra -Werror -std=gnu11
# Include roots: the first path component of a quoted include ("dmatrace/",
# "view/") is found under exactly one (tests/unit/include_roots.t checks it);
# a directory's private headers are included relative to it.
#   include/       shared namespaces: dmatrace/ ref/ uapi/ common/
#   src/dmatrace/  the loader's libraries, for the tests: view/
#   $(OUT)/        generated: uapi_offsets.h, the BPF skeletons
DT_CPPFLAGS := -D_GNU_SOURCE -Iinclude -Isrc/dmatrace -I$(OUT)
DT_LDFLAGS  :=

# make asan: dmaload, libdmaref.so and the unit tests with ASan and UBSan,
# in build-asan/ and bin-asan/ (a sub-make; the normal build is untouched).
# Not dmatrace: the unit tier does not run it, and it would need the BPF
# objects and the offsets generator rebuilt there.
# Built with clang: tests/run asan reads the reports from ASAN_OPTIONS'
# and UBSAN_OPTIONS' log_path, which GCC 12's UBSan ignores next to ASan.
ASAN_CC	 ?= clang
ASAN_BIN := bin-asan
ASAN_OUT := build-asan
ifdef DT_ASAN
DT_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined
endif

# Every C compile and link of the userspace programs
COMPILE	= $(CC) $(DT_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(DT_CFLAGS)
LINK	= $(CC) $(CFLAGS) $(DT_CFLAGS) $(LDFLAGS) $(DT_LDFLAGS)

# Fragments append to these
ALL_TARGETS	:=
UNIT_TESTS	:=
CLEAN_FILES	:=

.PHONY: all clean deps demo test test-unit test-host test-vm test-asan fuzz bench \
	bench-vm bench-memlock-vm install uninstall asan asan-build deb
all: build-all

include src/common/common.mk
include src/ref/ref.mk
include tools/dmaload/dmaload.mk
include bpf/bpf.mk
include tools/bench/bench.mk
include src/dmatrace/dmatrace.mk
include tools/vm/vm.mk
include tests/unit/unit.mk
include tests/host/host.mk

build-all: $(ALL_TARGETS) $(UNIT_TESTS)

asan:
	+@$(MAKE) --no-print-directory CC=$(ASAN_CC) BIN=$(ASAN_BIN) OUT=$(ASAN_OUT) \
		DT_ASAN=1 asan-build
asan-build: $(BIN)/dmaload $(REF_LIB) $(UNIT_TESTS)

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(COMPILE) -MMD -MP -c $< -o $@

# The README's two commands: both install what is missing first.
deps:
	@tools/install-deps.sh

demo:
	@tools/install-deps.sh
	@$(MAKE) --no-print-directory all
	$(BIN)/dmatrace demo

test:
	@tools/install-deps.sh
	@$(MAKE) --no-print-directory all asan
	tests/run unit asan host vm

test-unit: all
	tests/run unit
test-host: all
	tests/run host
test-vm: all
	tests/run vm
test-asan: asan
	tests/run asan

# Benchmarks print figures (root for the tracer's): reference
# implementation scaling, tracer overhead against bpftrace, and the same
# in the VM on the real kernel.
bench: all
	tools/bench/bench-ref.sh
	tools/bench/bench-tracer.sh
	tools/bench/bench-memlock.sh
bench-vm: all
	tools/bench/bench-vm.sh
	tools/bench/bench-memlock-vm.sh
bench-memlock-vm: all
	tools/bench/bench-memlock-vm.sh

# make install [PREFIX=/usr/local] [DESTDIR=]: the programs and libdmaref.so
# go to $(PREFIX)/lib/dmatrace/, where dmatrace finds the library next to
# its own binary (/proc/self/exe) and dmaload through its $$ORIGIN rpath;
# $(PREFIX)/bin/ gets relative symlinks to them; the man pages (man/,
# uncompressed: a Debian package's dh_compress gzips them) go to
# $(PREFIX)/share/man/man8 and man1.
PREFIX	?= /usr/local
PKG_DIR	:= lib/dmatrace
DOC_DIR	:= share/doc/dmatrace
MAN_DIR	:= share/man
INSTALL_PROGS := dmatrace dmaload
INSTALL_DOCS  := README.md $(wildcard docs/*.md)
INSTALL_MAN8  := man/dmatrace.8
INSTALL_MAN1  := man/dmaload.1
# the exporter's unit (tools/systemd/*.in, @PREFIX@ filled in)
UNIT_DIR := lib/systemd/system
UNIT     := dmatrace-exporter.service

install: $(addprefix $(BIN)/,$(INSTALL_PROGS)) $(REF_LIB)
	install -d $(DESTDIR)$(PREFIX)/$(PKG_DIR) $(DESTDIR)$(PREFIX)/bin \
		$(DESTDIR)$(PREFIX)/$(DOC_DIR) $(DESTDIR)$(PREFIX)/$(MAN_DIR)/man8 \
		$(DESTDIR)$(PREFIX)/$(MAN_DIR)/man1
	install -m 755 $(addprefix $(BIN)/,$(INSTALL_PROGS)) $(DESTDIR)$(PREFIX)/$(PKG_DIR)/
	install -m 644 $(REF_LIB) $(DESTDIR)$(PREFIX)/$(PKG_DIR)/
	for p in $(INSTALL_PROGS); do \
		ln -sfn ../$(PKG_DIR)/$$p $(DESTDIR)$(PREFIX)/bin/$$p || exit; \
	done
	install -m 644 $(INSTALL_DOCS) $(DESTDIR)$(PREFIX)/$(DOC_DIR)/
	install -m 644 $(INSTALL_MAN8) $(DESTDIR)$(PREFIX)/$(MAN_DIR)/man8/
	install -m 644 $(INSTALL_MAN1) $(DESTDIR)$(PREFIX)/$(MAN_DIR)/man1/
	install -d $(DESTDIR)$(PREFIX)/$(UNIT_DIR)
	sed 's|@PREFIX@|$(PREFIX)|g' tools/systemd/$(UNIT).in > $(DESTDIR)$(PREFIX)/$(UNIT_DIR)/$(UNIT)
	chmod 644 $(DESTDIR)$(PREFIX)/$(UNIT_DIR)/$(UNIT)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(INSTALL_PROGS)) \
		$(addprefix $(DESTDIR)$(PREFIX)/$(PKG_DIR)/,$(INSTALL_PROGS) $(notdir $(REF_LIB))) \
		$(addprefix $(DESTDIR)$(PREFIX)/$(DOC_DIR)/,$(notdir $(INSTALL_DOCS))) \
		$(addprefix $(DESTDIR)$(PREFIX)/$(MAN_DIR)/man8/,$(notdir $(INSTALL_MAN8))) \
		$(addprefix $(DESTDIR)$(PREFIX)/$(MAN_DIR)/man1/,$(notdir $(INSTALL_MAN1))) \
		$(DESTDIR)$(PREFIX)/$(UNIT_DIR)/$(UNIT)
	-rmdir $(DESTDIR)$(PREFIX)/$(PKG_DIR) $(DESTDIR)$(PREFIX)/$(DOC_DIR)

# make deb [DEB_DIR=build/deb]: the Debian package (debian/), built by
# dpkg-buildpackage -us -uc -b in a copy of the tree (the files git knows,
# tracked or not ignored; every file without git) under DEB_DIR, so that
# its `debian/rules clean` cleans the copy, not this tree's bin/ and
# build/, and its output lands in DEB_DIR, not in the parent directory.
DEB_DIR	?= $(OUT)/deb
DEB_SRC	 = $(DEB_DIR)/dmatrace-$(shell dpkg-parsechangelog -S Version)
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -co --exclude-standard | \
			tar --null -T - -cf - | tar -xf - -C $(DEB_SRC); \
	else \
		tar --exclude=./$(BIN) --exclude=./$(OUT) --exclude=./$(ASAN_BIN) \
		    --exclude=./$(ASAN_OUT) --exclude=./debian/dmatrace \
		    --exclude=./debian/.debhelper -cf - . | tar -xf - -C $(DEB_SRC); \
	fi
	cd $(DEB_SRC) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		dpkg-buildpackage -us -uc -b
	@ls $(DEB_DIR)/*.deb

clean:
	rm -rf $(BIN) $(OUT) $(ASAN_BIN) $(ASAN_OUT) $(CLEAN_FILES)

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)
