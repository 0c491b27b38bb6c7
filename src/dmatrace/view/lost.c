// SPDX-License-Identifier: GPL-2.0
/*
 * Losses: what the BPF side could not record (a full map, a full ring
 * buffer, a lost min/max update, a cut snapshot), and which figures each
 * one makes a lower bound of. Every view states them next to the figures
 * they affect; the run exits DT_EXIT_LOST when any happened.
 */
#include <string.h>

#include "common/json.h"
#include "view_priv.h"

/* What each loss means, the figures it affects and the option to raise */
static const struct view_loss {
	enum dt_counter c;
	const char *what;	/* "N <what>" */
	const char *why;	/* (why, how) */
	unsigned int figures;	/* VIEW_LB_* */
} losses[] = {
	{ DT_CNT_HIST_FULL, "ops lost", "histogram map full, --max-keys",
	  VIEW_LB_HISTS },
	{ DT_CNT_PIN_FULL, "pinning samples lost",
	  "pinning histogram map full, --max-keys", VIEW_LB_PINS },
	{ DT_CNT_AREAS_FULL, "areas not tracked", "area map full, --max-areas",
	  VIEW_LB_WINDOWS },
	{ DT_CNT_IOAS_FULL, "IOAS or container updates lost",
	  "IOAS map full, --max-ioas", VIEW_LB_WINDOWS },
	{ DT_CNT_AREAS_WALK_CUT, "area list walks cut short",
	  "step bound: areas left behind by an unmap or destroy",
	  VIEW_LB_WINDOWS },
	{ DT_CNT_AREAS_BUSY, "ops not applied to their IOAS's areas",
	  "area list locked by another CPU past the spin bound",
	  VIEW_LB_WINDOWS },
	{ DT_CNT_SNAPSHOT_CUT, "snapshot walks cut short",
	  "areas held before the trace missing", VIEW_LB_WINDOWS },
	{ DT_CNT_TGIDS_FULL, "child processes not followed",
	  "process map full, --max-procs",
	  VIEW_LB_HISTS | VIEW_LB_PINS | VIEW_LB_WINDOWS | VIEW_LB_VIOLATIONS },
	{ DT_CNT_PROCS_FULL, "process names not noted",
	  "process map full, --max-procs", VIEW_LB_NAMES },
	{ DT_CNT_RB_DROPS, "events lost", "ring buffer full",
	  VIEW_LB_WINDOWS | VIEW_LB_VIOLATIONS },
	{ DT_CNT_STASH_MISS, "op exits without their entry",
	  "no room for the thread's call, or another traced call of the thread in between: the op not counted",
	  VIEW_LB_HISTS | VIEW_LB_WINDOWS | VIEW_LB_VIOLATIONS },
	{ DT_CNT_READ_FAIL, "reads of traced memory failed",
	  "a page not resident: what was read is 0, an op's IOAS, IOVA or length among it",
	  VIEW_LB_HISTS | VIEW_LB_WINDOWS | VIEW_LB_VIOLATIONS | VIEW_LB_FAULTS },
	{ DT_CNT_DEVS_FULL, "device owners not noted",
	  "device map full, 256 devices: faults on them name no IOAS",
	  VIEW_LB_FAULTS },
	{ DT_CNT_FAULTS_CUT, "fault records not read",
	  "more pending than one interrupt's walk reads", VIEW_LB_FAULTS },
	{ DT_CNT_CAS_LOST, "min/max updates lost",
	  "contention: a histogram's min and max are approximate",
	  VIEW_LB_MINMAX },
};

#define NR_LOSSES	(sizeof(losses) / sizeof(losses[0]))

unsigned int view_lower_bounds(const struct dt_view *v)
{
	unsigned int i, f = 0;

	for (i = 0; i < NR_LOSSES; i++)
		if (v->counters[losses[i].c])
			f |= losses[i].figures;
	return f;
}

bool view_lost_any(const struct dt_view *v)
{
	return view_lower_bounds(v) != 0;
}

void view_print_losses(const struct dt_view *v, unsigned int figures,
		       const char *prefix, FILE *out)
{
	unsigned int i;

	for (i = 0; i < NR_LOSSES; i++)
		if (v->counters[losses[i].c] && (losses[i].figures & figures))
			fprintf(out, "%s%s: %llu %s (%s)\n", prefix,
				losses[i].figures == VIEW_LB_MINMAX ?
				"approximate" : "lower bound",
				(unsigned long long)v->counters[losses[i].c],
				losses[i].what, losses[i].why);
}

int view_loss_line(const struct dt_view *v, char *buf, size_t sz)
{
	size_t n = 0;
	unsigned int i;
	int nr = 0;

	buf[0] = 0;
	for (i = 0; i < NR_LOSSES && n < sz; i++) {
		if (!v->counters[losses[i].c])
			continue;
		n += snprintf(buf + n, sz - n, "%s%s %llu (%s)", nr++ ? ", " : "",
			      view_counter_name(losses[i].c),
			      (unsigned long long)v->counters[losses[i].c],
			      losses[i].why);
	}
	return nr;
}

void view_json_lost(const struct dt_view *v, struct json_writer *w)
{
	static const char *const figures[] = {
		"histograms", "pinning", "windows", "violations", "names",
		"min_max", "faults",
	};
	unsigned int i, f = view_lower_bounds(v);

	json_object_begin(w);
	for (i = 0; i < NR_LOSSES; i++) {
		json_key(w, view_counter_name(losses[i].c));
		json_u64(w, v->counters[losses[i].c]);
	}
	json_key(w, "lower_bound");
	json_array_begin(w);
	for (i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (f & (1u << i))
			json_string(w, figures[i]);
	json_array_end(w);
	json_object_end(w);
}
