/* SPDX-License-Identifier: MIT */
/*
 * Mapping the shared_info page and placing vCPU 0's vcpu_info; see
 * <veneer/shinfo.h>.
 */
#include <xen/errno.h>
#include <xen/vcpu.h>
#include <veneer/hypercall.h>
#include <veneer/mmu.h>
#include <veneer/pagetable.h>
#include <veneer/runtime.h>
#include <veneer/shinfo.h>

struct shared_info *shinfo;
struct vcpu_info *shinfo_vcpu_info;

/* The page shared_info is mapped over; its own frame is given up. */
static uint8_t shinfo_page[XEN_PAGE_SIZE]
    __attribute__((aligned(XEN_PAGE_SIZE)));

int shinfo_map(void)
{
    uint64_t maddr = runtime_start_info->shared_info;
    long rc;

    if (shinfo)
        return 0;
    rc = mmu_map((uintptr_t)shinfo_page, maddr >> XEN_PAGE_SHIFT, MMU_PTE_RW);
    if (rc < 0)
        return (int)rc;
    shinfo = (struct shared_info *)shinfo_page;
    shinfo_vcpu_info = &shinfo->vcpu_info[0];
    return 0;
}

int shinfo_register_vcpu_info(uint64_t va)
{
    struct vcpu_register_vcpu_info info = {.offset = va & (XEN_PAGE_SIZE - 1)};
    struct pt_walk w;
    long rc;

    if (pt_walk(va, &w) < 0 || !(w.entry[1] & _PAGE_PRESENT))
        return -XEN_EFAULT;
    info.mfn = pt_mfn_of(w.entry[1]);
    rc = HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info);
    if (rc == 0)
        __atomic_store_n(&shinfo_vcpu_info, (struct vcpu_info *)(uintptr_t)va,
                         __ATOMIC_SEQ_CST);
    return (int)rc;
}
