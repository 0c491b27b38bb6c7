/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ref's iommufd context and objects (drivers/iommu/iommufd/
 * iommufd_private.h semantics): ids from 1, the lowest free id is reused;
 * an object is destroyable only when nothing else holds it ("users").
 * One mutex per context serialises every ioctl.
 */
#ifndef DMATRACE_REF_IOMMUFD_PRIVATE_H
#define DMATRACE_REF_IOMMUFD_PRIVATE_H

#include <pthread.h>
#include "io_pagetable.h"

enum iommufd_object_type {
	IOMMUFD_OBJ_NONE,
	IOMMUFD_OBJ_ANY = IOMMUFD_OBJ_NONE,
	IOMMUFD_OBJ_DEVICE,
	IOMMUFD_OBJ_HWPT_PAGING,
	IOMMUFD_OBJ_IOAS,
	IOMMUFD_OBJ_SELFTEST,
};

struct iommufd_object {
	enum iommufd_object_type type;
	__u32 id;
	unsigned int users;	/* 1 = only the id table holds it */
};

struct iommufd_hwpt_paging;

struct iommufd_ioas {
	struct iommufd_object obj;
	struct io_pagetable iopt;
	struct iommufd_hwpt_paging *hwpt_list;
};

struct iommufd_hwpt_paging {
	struct iommufd_object obj;
	struct iommufd_ioas *ioas;
	struct ref_domain domain;
	bool auto_domain;
	struct iommufd_hwpt_paging *next;	/* in ioas->hwpt_list */
};

struct iommufd_device {
	struct iommufd_object obj;
	struct iommufd_hwpt_paging *hwpt;	/* attached to, or NULL */
};

struct iommufd_ctx {
	pthread_mutex_t lock;
	struct iommufd_object **objects;	/* index = id */
	__u32 nr_slots;
	struct iommufd_ioas *vfio_ioas;
	bool account_mm;	/* IOPT_PAGES_ACCOUNT_MM (IOMMU_OPTION) */
};

/* Marks an id that is allocated but not yet published (XA_ZERO_ENTRY) */
extern struct iommufd_object iommufd_reserved_slot;

int iommufd_object_alloc_id(struct iommufd_ctx *ictx,
			    struct iommufd_object *obj,
			    enum iommufd_object_type type);
void iommufd_object_finalize(struct iommufd_ctx *ictx,
			     struct iommufd_object *obj);
void iommufd_object_abort(struct iommufd_ctx *ictx,
			  struct iommufd_object *obj);
struct iommufd_object *iommufd_get_object(struct iommufd_ctx *ictx, __u32 id,
					  enum iommufd_object_type type);
int iommufd_object_remove(struct iommufd_ctx *ictx,
			  struct iommufd_object *obj, __u32 id);
struct iommufd_ioas *iommufd_get_ioas(struct iommufd_ctx *ictx, __u32 id);
int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t cmd_len);

int iommufd_option_rlimit_mode(struct iommu_option *cmd,
			       struct iommufd_ctx *ictx);
int iommufd_ioas_option(struct iommufd_ucmd *ucmd);
bool iommufd_ctx_has_objects(struct iommufd_ctx *ictx);
struct iommufd_ioas *iommufd_ioas_alloc(struct iommufd_ctx *ictx);
void iommufd_ioas_destroy(struct iommufd_ioas *ioas);
void iommufd_selftest_destroy(struct iommufd_ctx *ictx,
			      struct iommufd_object *obj);
void iommufd_test_syz_conv_iova_id(struct iommufd_ucmd *ucmd, __u32 ioas_id,
				   __u64 *iova, __u32 *flags);
void iommufd_hwpt_paging_destroy(struct iommufd_hwpt_paging *hwpt);

/* Size checks, copy-in, lock, run: the common part of every ioctl */
int iommufd_ucmd_run(struct iommufd_ctx *ictx, unsigned long arg,
		     size_t size, size_t min_size,
		     int (*execute)(struct iommufd_ucmd *ucmd));
int iommufd_window_ioctl(struct iommufd_ctx *ictx, unsigned int cmd,
			 unsigned long arg);

#endif /* DMATRACE_REF_IOMMUFD_PRIVATE_H */
