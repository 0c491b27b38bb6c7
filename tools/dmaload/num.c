// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include "num.h"

static int suffix_shift(char c)
{
	switch (c) {
	case 'K': case 'k': return 10;
	case 'M': case 'm': return 20;
	case 'G': case 'g': return 30;
	case 'T': case 't': return 40;
	default: return -1;
	}
}

static int digit_value(char c, unsigned int base)
{
	unsigned int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (base == 16 && isxdigit((unsigned char)c))
		v = (tolower((unsigned char)c) - 'a') + 10;
	else
		return -1;
	return v < base ? (int)v : -1;
}

int dl_parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	int ndigits = 0, shift;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; *s; s++, ndigits++) {
		int d = digit_value(*s, base);

		if (d < 0)
			break;
		if (v > (UINT64_MAX - d) / base)
			return -1;
		v = v * base + d;
	}
	if (!ndigits)
		return -1;
	if (*s) {
		shift = suffix_shift(*s);
		if (shift < 0 || s[1])
			return -1;
		if (v > (UINT64_MAX >> shift))
			return -1;
		v <<= shift;
	}
	*out = v;
	return 0;
}
