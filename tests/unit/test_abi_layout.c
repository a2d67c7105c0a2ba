/* SPDX-License-Identifier: MIT */
/*
 * Golden layout test of the Xen guest ABI headers (STYLE.md rule 5).
 *
 * Prints one line per ABI struct ("name size off(field)=N ...") and one per
 * key constant ("const NAME value"), and compares the whole text with
 * tests/unit/abi_layout.golden, which was written by hand from
 * shared/design/XEN-ABI-FACTS.md. A header change that moves a field
 * shows up as a line diff. The _Static_asserts in the headers catch the
 * same drift at compile time; this test also catches an assert that was
 * edited to match a wrong layout.
 *
 * It also includes every header in one translation unit (they must
 * compile together), and checks that every header under abi/xen has its
 * own standalone translation unit in tests/unit/abi_hdr/.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xen/xen.h>
#include <xen/arch-x86/xen.h>
#include <xen/arch-x86/xen-x86_64.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/page.h>
#include <xen/errno.h>
#include <xen/version.h>
#include <xen/features.h>
#include <xen/elfnote.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <xen/callback.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/ring.h>
#include <xen/io/xs_wire.h>
#include <xen/io/xenbus.h>
#include <xen/io/console.h>
#include <xen/io/blkif.h>
#include <xen/io/netif.h>

#define GOLDEN_PATH "tests/unit/abi_layout.golden"
#define MAX_FIELDS  24

struct abi_field {
    const char *name;
    size_t off;
};

struct abi_layout {
    const char *name;
    size_t size;
    struct abi_field fields[MAX_FIELDS];
};

/* One table row: T must name the type being described. */
/* clang-format off */
#define F(m)           {.name = #m, .off = offsetof(T, m)}
#define ROW(tag, ...)  {.name = tag, .size = sizeof(T), .fields = {__VA_ARGS__}}
/* clang-format on */

static const struct abi_layout layouts[] = {
/* arch-x86/xen-x86_64.h */
#define T struct iret_context
    ROW("iret_context", F(rax), F(r11), F(rcx), F(flags), F(rip), F(cs),
        F(rflags), F(rsp), F(ss)),
#undef T
#define T struct cpu_user_regs
    ROW("cpu_user_regs", F(r15), F(rbp), F(rbx), F(r11), F(r8), F(rax), F(rcx),
        F(rdx), F(rsi), F(rdi), F(error_code), F(entry_vector), F(rip), F(cs),
        F(saved_upcall_mask), F(rflags), F(rsp), F(ss), F(es), F(ds), F(fs),
        F(gs)),
#undef T
#define T struct arch_vcpu_info
    ROW("arch_vcpu_info", F(cr2), F(pad)),
#undef T
/* arch-x86/xen.h */
#define T struct trap_info
    ROW("trap_info", F(vector), F(flags), F(cs), F(address)),
#undef T
#define T struct arch_shared_info
    ROW("arch_shared_info", F(max_pfn), F(pfn_to_mfn_frame_list_list),
        F(nmi_reason), F(p2m_cr3), F(p2m_vaddr), F(p2m_generation)),
#undef T
#define T struct vcpu_guest_context
    ROW("vcpu_guest_context", F(fpu_ctxt), F(flags), F(user_regs), F(trap_ctxt),
        F(ldt_base), F(ldt_ents), F(gdt_frames), F(gdt_ents), F(kernel_ss),
        F(kernel_sp), F(ctrlreg), F(debugreg), F(event_callback_eip),
        F(failsafe_callback_eip), F(syscall_callback_eip), F(vm_assist),
        F(fs_base), F(gs_base_kernel), F(gs_base_user)),
#undef T
/* xen.h */
#define T struct mmu_update
    ROW("mmu_update", F(ptr), F(val)),
#undef T
#define T struct mmuext_op
    ROW("mmuext_op", F(cmd), F(arg1.mfn), F(arg1.linear_addr), F(arg2.nr_ents),
        F(arg2.vcpumask), F(arg2.src_mfn)),
#undef T
#define T struct multicall_entry
    ROW("multicall_entry", F(op), F(result), F(args)),
#undef T
#define T struct vcpu_time_info
    ROW("vcpu_time_info", F(version), F(pad0), F(tsc_timestamp), F(system_time),
        F(tsc_to_system_mul), F(tsc_shift), F(flags), F(pad1)),
#undef T
#define T struct vcpu_info
    ROW("vcpu_info", F(evtchn_upcall_pending), F(evtchn_upcall_mask),
        F(evtchn_pending_sel), F(arch.cr2), F(arch.pad), F(time)),
#undef T
#define T struct shared_info
    ROW("shared_info", F(vcpu_info), F(vcpu_info[1]), F(evtchn_pending),
        F(evtchn_mask), F(wc_version), F(wc_sec), F(wc_nsec), F(wc_sec_hi),
        F(arch.max_pfn), F(arch.pfn_to_mfn_frame_list_list), F(arch.nmi_reason),
        F(arch.p2m_cr3), F(arch.p2m_vaddr), F(arch.p2m_generation)),
#undef T
#define T struct start_info
    ROW("start_info", F(magic), F(nr_pages), F(shared_info), F(flags),
        F(store_mfn), F(store_evtchn), F(console.domU.mfn),
        F(console.domU.evtchn), F(console.dom0.info_off),
        F(console.dom0.info_size), F(pt_base), F(nr_pt_frames), F(mfn_list),
        F(mod_start), F(mod_len), F(cmd_line), F(first_p2m_pfn),
        F(nr_p2m_frames)),
#undef T
/* version.h */
#define T struct xen_compile_info
    ROW("xen_compile_info", F(compiler), F(compile_by), F(compile_domain),
        F(compile_date)),
#undef T
#define T struct xen_platform_parameters
    ROW("xen_platform_parameters", F(virt_start)),
#undef T
#define T struct xen_feature_info
    ROW("xen_feature_info", F(submap_idx), F(submap)),
#undef T
#define T struct xen_varbuf
    ROW("xen_varbuf", F(len), F(buf)),
#undef T
/* sched.h */
#define T struct sched_shutdown
    ROW("sched_shutdown", F(reason)),
#undef T
#define T struct sched_poll
    ROW("sched_poll", F(ports), F(nr_ports), F(timeout)),
#undef T
#define T struct sched_remote_shutdown
    ROW("sched_remote_shutdown", F(domain_id), F(reason)),
#undef T
#define T struct sched_watchdog
    ROW("sched_watchdog", F(id), F(timeout)),
#undef T
#define T struct sched_pin_override
    ROW("sched_pin_override", F(pcpu)),
#undef T
/* memory.h */
#define T struct xen_memory_reservation
    ROW("xen_memory_reservation", F(extent_start), F(nr_extents),
        F(extent_order), F(mem_flags), F(domid)),
#undef T
#define T struct xen_memory_exchange
    ROW("xen_memory_exchange", F(in), F(out), F(nr_exchanged)),
#undef T
#define T struct xen_memory_domain
    ROW("xen_memory_domain", F(domid)),
#undef T
#define T struct xen_machphys_mfn_list
    ROW("xen_machphys_mfn_list", F(max_extents), F(extent_start)),
#undef T
#define T struct xen_machphys_mapping
    ROW("xen_machphys_mapping", F(v_start), F(v_end), F(max_mfn)),
#undef T
#define T struct xen_add_to_physmap
    ROW("xen_add_to_physmap", F(domid), F(size), F(space), F(idx), F(gpfn)),
#undef T
#define T struct xen_add_to_physmap_batch
    ROW("xen_add_to_physmap_batch", F(domid), F(space), F(size),
        F(u.foreign_domid), F(idxs), F(gpfns), F(errs)),
#undef T
#define T struct xen_remove_from_physmap
    ROW("xen_remove_from_physmap", F(domid), F(gpfn)),
#undef T
#define T struct xen_memory_map
    ROW("xen_memory_map", F(nr_entries), F(buffer)),
#undef T
#define T struct xen_foreign_memory_map
    ROW("xen_foreign_memory_map", F(domid), F(map)),
#undef T
#define T struct e820entry
    ROW("e820entry", F(addr), F(size), F(type)),
#undef T
/* vcpu.h */
#define T struct vcpu_runstate_info
    ROW("vcpu_runstate_info", F(state), F(state_entry_time), F(time)),
#undef T
#define T struct vcpu_register_runstate_memory_area
    ROW("vcpu_register_runstate_memory_area", F(addr.h), F(addr.p)),
#undef T
#define T struct vcpu_set_periodic_timer
    ROW("vcpu_set_periodic_timer", F(period_ns)),
#undef T
#define T struct vcpu_set_singleshot_timer
    ROW("vcpu_set_singleshot_timer", F(timeout_abs_ns), F(flags)),
#undef T
#define T struct vcpu_register_vcpu_info
    ROW("vcpu_register_vcpu_info", F(mfn), F(offset), F(rsvd)),
#undef T
#define T struct vcpu_get_physid
    ROW("vcpu_get_physid", F(phys_id)),
#undef T
#define T struct vcpu_register_time_memory_area
    ROW("vcpu_register_time_memory_area", F(addr.h), F(addr.p)),
#undef T
/* callback.h */
#define T struct callback_register
    ROW("callback_register", F(type), F(flags), F(address)),
#undef T
#define T struct callback_unregister
    ROW("callback_unregister", F(type)),
#undef T
/* event_channel.h */
#define T struct evtchn_alloc_unbound
    ROW("evtchn_alloc_unbound", F(dom), F(remote_dom), F(port)),
#undef T
#define T struct evtchn_bind_interdomain
    ROW("evtchn_bind_interdomain", F(remote_dom), F(remote_port),
        F(local_port)),
#undef T
#define T struct evtchn_bind_virq
    ROW("evtchn_bind_virq", F(virq), F(vcpu), F(port)),
#undef T
#define T struct evtchn_bind_pirq
    ROW("evtchn_bind_pirq", F(pirq), F(flags), F(port)),
#undef T
#define T struct evtchn_bind_ipi
    ROW("evtchn_bind_ipi", F(vcpu), F(port)),
#undef T
#define T struct evtchn_close
    ROW("evtchn_close", F(port)),
#undef T
#define T struct evtchn_send
    ROW("evtchn_send", F(port)),
#undef T
#define T struct evtchn_status
    ROW("evtchn_status", F(dom), F(port), F(status), F(vcpu), F(u.unbound.dom),
        F(u.interdomain.dom), F(u.interdomain.port), F(u.pirq), F(u.virq)),
#undef T
#define T struct evtchn_bind_vcpu
    ROW("evtchn_bind_vcpu", F(port), F(vcpu)),
#undef T
#define T struct evtchn_unmask
    ROW("evtchn_unmask", F(port)),
#undef T
#define T struct evtchn_reset
    ROW("evtchn_reset", F(dom)),
#undef T
#define T struct evtchn_init_control
    ROW("evtchn_init_control", F(control_gfn), F(offset), F(vcpu),
        F(link_bits)),
#undef T
#define T struct evtchn_expand_array
    ROW("evtchn_expand_array", F(array_gfn)),
#undef T
#define T struct evtchn_set_priority
    ROW("evtchn_set_priority", F(port), F(priority)),
#undef T
#define T struct evtchn_op
    ROW("evtchn_op", F(cmd), F(u)),
#undef T
#define T struct evtchn_fifo_control_block
    ROW("evtchn_fifo_control_block", F(ready), F(head)),
#undef T
/* grant_table.h */
#define T struct grant_entry_v1
    ROW("grant_entry_v1", F(flags), F(domid), F(frame)),
#undef T
#define T struct grant_entry_header
    ROW("grant_entry_header", F(flags), F(domid)),
#undef T
#define T union grant_entry_v2
    ROW("grant_entry_v2", F(hdr.flags), F(hdr.domid), F(full_page.frame),
        F(sub_page.page_off), F(sub_page.length), F(sub_page.frame),
        F(transitive.trans_domid), F(transitive.gref)),
#undef T
#define T struct gnttab_map_grant_ref
    ROW("gnttab_map_grant_ref", F(host_addr), F(flags), F(ref), F(dom),
        F(status), F(handle), F(dev_bus_addr)),
#undef T
#define T struct gnttab_unmap_grant_ref
    ROW("gnttab_unmap_grant_ref", F(host_addr), F(dev_bus_addr), F(handle),
        F(status)),
#undef T
#define T struct gnttab_setup_table
    ROW("gnttab_setup_table", F(dom), F(nr_frames), F(status), F(frame_list)),
#undef T
#define T struct gnttab_dump_table
    ROW("gnttab_dump_table", F(dom), F(status)),
#undef T
#define T struct gnttab_transfer
    ROW("gnttab_transfer", F(mfn), F(domid), F(ref), F(status)),
#undef T
#define T struct gnttab_copy
    ROW("gnttab_copy", F(source.u.ref), F(source.u.gmfn), F(source.domid),
        F(source.offset), F(dest.u.ref), F(dest.domid), F(dest.offset), F(len),
        F(flags), F(status)),
#undef T
#define T struct gnttab_query_size
    ROW("gnttab_query_size", F(dom), F(nr_frames), F(max_nr_frames), F(status)),
#undef T
#define T struct gnttab_unmap_and_replace
    ROW("gnttab_unmap_and_replace", F(host_addr), F(new_addr), F(handle),
        F(status)),
#undef T
#define T struct gnttab_set_version
    ROW("gnttab_set_version", F(version)),
#undef T
#define T struct gnttab_get_status_frames
    ROW("gnttab_get_status_frames", F(nr_frames), F(dom), F(status),
        F(frame_list)),
#undef T
#define T struct gnttab_get_version
    ROW("gnttab_get_version", F(dom), F(version)),
#undef T
#define T struct gnttab_swap_grant_ref
    ROW("gnttab_swap_grant_ref", F(ref_a), F(ref_b), F(status)),
#undef T
#define T struct gnttab_cache_flush
    ROW("gnttab_cache_flush", F(a.dev_bus_addr), F(a.ref), F(offset), F(length),
        F(op)),
#undef T
/* io/xs_wire.h */
#define T struct xsd_sockmsg
    ROW("xsd_sockmsg", F(type), F(req_id), F(tx_id), F(len)),
#undef T
#define T struct xenstore_domain_interface
    ROW("xenstore_domain_interface", F(req), F(rsp), F(req_cons), F(req_prod),
        F(rsp_cons), F(rsp_prod), F(server_features), F(connection), F(error),
        F(evtchn_port)),
#undef T
/* io/console.h */
#define T struct xencons_interface
    ROW("xencons_interface", F(in), F(out), F(in_cons), F(in_prod), F(out_cons),
        F(out_prod), F(connection)),
#undef T
/* io/blkif.h */
#define T struct blkif_request_segment
    ROW("blkif_request_segment", F(gref), F(first_sect), F(last_sect)),
#undef T
#define T struct blkif_request
    ROW("blkif_request", F(operation), F(nr_segments), F(handle), F(id),
        F(sector_number), F(seg)),
#undef T
#define T struct blkif_request_discard
    ROW("blkif_request_discard", F(operation), F(flag), F(handle), F(id),
        F(sector_number), F(nr_sectors)),
#undef T
#define T struct blkif_request_indirect
    ROW("blkif_request_indirect", F(operation), F(indirect_op), F(nr_segments),
        F(id), F(sector_number), F(handle), F(indirect_grefs)),
#undef T
#define T struct blkif_response
    ROW("blkif_response", F(id), F(operation), F(status)),
#undef T
#define T struct blkif_sring
    ROW("blkif_sring", F(req_prod), F(req_event), F(rsp_prod), F(rsp_event),
        F(pvt), F(__pad), F(ring)),
#undef T
/* io/netif.h */
#define T struct netif_tx_request
    ROW("netif_tx_request", F(gref), F(offset), F(flags), F(id), F(size)),
#undef T
#define T struct netif_extra_info
    ROW("netif_extra_info", F(type), F(flags), F(u.gso.size), F(u.gso.type),
        F(u.gso.features), F(u.mcast.addr), F(u.hash.type), F(u.hash.algorithm),
        F(u.hash.value)),
#undef T
#define T struct netif_tx_response
    ROW("netif_tx_response", F(id), F(status)),
#undef T
#define T struct netif_rx_request
    ROW("netif_rx_request", F(id), F(gref)),
#undef T
#define T struct netif_rx_response
    ROW("netif_rx_response", F(id), F(offset), F(flags), F(status)),
#undef T
#define T struct netif_tx_sring
    ROW("netif_tx_sring", F(req_prod), F(rsp_event), F(pvt.netif), F(ring)),
#undef T
#define T struct netif_rx_sring
    ROW("netif_rx_sring", F(req_prod), F(rsp_event), F(pvt.netif), F(ring)),
#undef T
};

struct abi_const {
    const char *name;
    unsigned long long value; /* two's complement if negative */
    int negative;             /* the constant's own type says < 0 */
};

/* `(x) != 0 && (x) < 1` means "x < 0" without -Wtype-limits noise for
 * unsigned constants. */
/* clang-format off */
#define C(x) {.name = #x, .value = (unsigned long long)(x), \
              .negative = (x) != 0 && (x) < 1}
/* clang-format on */

/* Key constants: a wrong number here is as bad as a moved field. */
static const struct abi_const consts[] = {
    C(__HYPERVISOR_set_trap_table),
    C(__HYPERVISOR_mmu_update),
    C(__HYPERVISOR_set_gdt),
    C(__HYPERVISOR_stack_switch),
    C(__HYPERVISOR_set_callbacks),
    C(__HYPERVISOR_fpu_taskswitch),
    C(__HYPERVISOR_update_descriptor),
    C(__HYPERVISOR_memory_op),
    C(__HYPERVISOR_multicall),
    C(__HYPERVISOR_update_va_mapping),
    C(__HYPERVISOR_set_timer_op),
    C(__HYPERVISOR_xen_version),
    C(__HYPERVISOR_console_io),
    C(__HYPERVISOR_grant_table_op),
    C(__HYPERVISOR_vm_assist),
    C(__HYPERVISOR_iret),
    C(__HYPERVISOR_vcpu_op),
    C(__HYPERVISOR_set_segment_base),
    C(__HYPERVISOR_mmuext_op),
    C(__HYPERVISOR_sched_op),
    C(__HYPERVISOR_callback_op),
    C(__HYPERVISOR_event_channel_op),
    C(__HYPERVISOR_physdev_op),
    C(__HYPERVISOR_hvm_op),
    C(__HYPERVISOR_arch_0),
    C(__HYPERVISOR_arch_7),
    C(DOMID_SELF),
    C(DOMID_IO),
    C(DOMID_XEN),
    C(DOMID_INVALID),
    C(DOMID_ANY),
    C(DOMID_IDLE),
    C(FLAT_KERNEL_CS),
    C(FLAT_KERNEL_DS),
    C(FLAT_KERNEL_SS),
    C(FLAT_RING3_CS32),
    C(HYPERVISOR_VIRT_START),
    C(HYPERVISOR_VIRT_END),
    C(MACH2PHYS_VIRT_END),
    C(FIRST_RESERVED_GDT_ENTRY),
    C(VGCF_in_syscall),
    C(XEN_LEGACY_MAX_VCPUS),
    C(MAX_GUEST_CMDLINE),
    C(NR_VIRQS),
    C(MMUEXT_NEW_USER_BASEPTR),
    C(MMUEXT_UNMARK_SUPER),
    C(UVMF_ALL),
    C(VMASST_TYPE_m2p_strict),
    C(SIF_PM_MASK),
    C(XEN_CPUID_SIGNATURE_EBX),
    C(XEN_CPUID_SIGNATURE_ECX),
    C(XEN_CPUID_SIGNATURE_EDX),
    C(XEN_ELFNOTE_HYPERCALL_PAGE),
    C(XEN_ELFNOTE_PHYS32_ENTRY),
    C(XENFEAT_dm_msix_all_writes),
    C(XEN_ENOSYS),
    C(XEN_ECONNREFUSED),
    C(SHUTDOWN_soft_reset),
    C(VCPUOP_register_vcpu_info),
    C(VCPUOP_register_vcpu_time_phys_area),
    C(XENMEM_populate_physmap),
    C(XENMEM_acquire_resource),
    C(MEMOP_CMD_MASK),
    C(EVTCHNOP_reset),
    C(EVTCHNOP_set_priority),
    C(GNTTABOP_cache_flush),
    C(GNTST_no_space),
    C(GTF_writing),
    C(GNTMAP_contains_pte),
    C(XS_TYPE_COUNT),
    C(XS_INVALID),
    C(XENSTORE_PAYLOAD_MAX),
    C(XenbusStateReconfigured),
    C(BLKIF_MAX_SEGMENTS_PER_REQUEST),
    C(__CONST_RING_SIZE(blkif, 4096)),
    C(__CONST_RING_SIZE(netif_tx, 4096)),
    C(__CONST_RING_SIZE(netif_rx, 4096)),
    C(XEN_NETIF_NR_SLOTS_MIN),
};

/* Render the layout text exactly as the golden file spells it. */
static char *abi_layout_text(void)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);

    cr_assert_not_null(out, "open_memstream failed");
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        const struct abi_layout *l = &layouts[i];

        fprintf(out, "%s %zu", l->name, l->size);
        for (size_t f = 0; f < MAX_FIELDS && l->fields[f].name; f++)
            fprintf(out, " off(%s)=%zu", l->fields[f].name, l->fields[f].off);
        fputc('\n', out);
    }
    /* Negative values (status codes) in decimal, the rest in hex as the
     * facts write them. */
    for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
        if (consts[i].negative)
            fprintf(out, "const %s %lld\n", consts[i].name,
                    (long long)consts[i].value);
        else
            fprintf(out, "const %s 0x%llx\n", consts[i].name, consts[i].value);
    }
    fclose(out);
    return text;
}

static char *read_golden(void)
{
    FILE *in = fopen(GOLDEN_PATH, "r");
    char *text = NULL;
    long len;

    cr_assert_not_null(in, "cannot open %s (run from the repo root)",
                       GOLDEN_PATH);
    fseek(in, 0, SEEK_END);
    len = ftell(in);
    fseek(in, 0, SEEK_SET);
    text = calloc(1, (size_t)len + 1);
    cr_assert_not_null(text);
    cr_assert_eq(fread(text, 1, (size_t)len, in), (size_t)len);
    fclose(in);
    return text;
}

/* Golden lines may be commented out with '#' and separated by blank
 * lines; strip both so the comparison is line for line. */
static char *strip_comments(const char *golden)
{
    char *out = calloc(1, strlen(golden) + 1);
    char *w = out;

    cr_assert_not_null(out);
    for (const char *line = golden; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);

        if (n > 0 && line[0] != '#') {
            memcpy(w, line, n);
            w += n;
            *w++ = '\n';
        }
        line += n + (nl ? 1 : 0);
    }
    return out;
}

Test(abi_layout, matches_golden)
{
    char *actual = abi_layout_text();
    char *raw = read_golden();
    char *golden = strip_comments(raw);
    char *a_save = NULL, *g_save = NULL;
    char *a = strtok_r(actual, "\n", &a_save);
    char *g = strtok_r(golden, "\n", &g_save);
    int line = 1;

    while (a || g) {
        cr_expect_str_eq(a ? a : "(missing)", g ? g : "(missing)",
                         "layout line %d differs from %s:\n  actual: %s\n"
                         "  golden: %s",
                         line, GOLDEN_PATH, a ? a : "(none)", g ? g : "(none)");
        a = a ? strtok_r(NULL, "\n", &a_save) : NULL;
        g = g ? strtok_r(NULL, "\n", &g_save) : NULL;
        line++;
    }
    free(actual);
    free(raw);
    free(golden);
}

/* Every field listed must be a real offset within its struct (guards the
 * table itself against copy-paste slips). */
Test(abi_layout, fields_inside_struct)
{
    for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
        const struct abi_layout *l = &layouts[i];

        for (size_t f = 0; f < MAX_FIELDS && l->fields[f].name; f++)
            cr_expect(l->fields[f].off <= l->size, "%s.%s at %zu > size %zu",
                      l->name, l->fields[f].name, l->fields[f].off, l->size);
    }
}

/* Shared pages must fit in one 4 KiB page. */
Test(abi_layout, shared_pages_fit)
{
    cr_expect_leq(sizeof(struct shared_info), 4096);
    cr_expect_leq(sizeof(struct start_info), 4096);
    cr_expect_leq(sizeof(struct xenstore_domain_interface), 4096);
    cr_expect_leq(sizeof(struct xencons_interface), 4096);
    cr_expect_eq(4096 / sizeof(struct grant_entry_v1), 512);
}

/* Ring macros behave as documented on a real page (rule 5 of ring.h). */
Test(abi_layout, ring_notify_and_overflow)
{
    static union {
        struct blkif_sring s;
        uint8_t page[4096];
    } mem;
    struct blkif_front_ring front;
    struct blkif_back_ring back;
    int notify = -1, work = -1;

    SHARED_RING_INIT(&mem.s);
    FRONT_RING_INIT(&front, &mem.s, 4096);
    BACK_RING_INIT(&back, &mem.s, 4096);
    cr_assert_eq(RING_SIZE(&front), 32);
    cr_assert_eq(RING_FREE_REQUESTS(&front), 32);

    /* First request: req_event is 1, so the backend must be notified. */
    RING_GET_REQUEST(&front, front.req_prod_pvt)->id = 7;
    front.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    cr_expect_eq(notify, 1);

    /* Backend has not re-armed: a second push must not notify. */
    front.req_prod_pvt++;
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
    cr_expect_eq(notify, 0);

    /* Backend consumes both, copying out before use. */
    cr_expect_eq(XEN_RING_NR_UNCONSUMED_REQUESTS(&back), 2);
    struct blkif_request req;
    RING_COPY_REQUEST(&back, back.req_cons, &req);
    cr_expect_eq(req.id, 7);
    back.req_cons += 2;
    RING_FINAL_CHECK_FOR_REQUESTS(&back, work);
    cr_expect_eq(work, 0);
    cr_expect_eq(mem.s.req_event, 3);

    /* A frontend claiming more than the ring holds is detected. */
    cr_expect(RING_REQUEST_PROD_OVERFLOW(&back, back.rsp_prod_pvt + 33));
    cr_expect_not(RING_REQUEST_PROD_OVERFLOW(&back, back.rsp_prod_pvt + 32));

    /* Index wrap-around: free-running u32 indices keep working. */
    front.req_prod_pvt = front.rsp_cons = 0xfffffff0u;
    cr_expect_eq(RING_FREE_REQUESTS(&front), 32);
}

/* XS error table round-trips names and numbers. */
Test(abi_layout, xsd_errors_table)
{
    cr_expect_eq(XSD_ERRORS_COUNT, 16);
    cr_expect_str_eq(xsd_errors[0].errstring, "EINVAL");
    cr_expect_eq(xsd_errors[0].errnum, 22);
    cr_expect_str_eq(xsd_errors[4].errstring, "ENOENT");
    cr_expect_eq(xsd_errors[4].errnum, 2);
}

/* Every header under abi/xen has a standalone TU in tests/unit/abi_hdr/. */
static void check_dir(const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    cr_assert_not_null(d, "cannot open %s", dir);
    while ((e = readdir(d)) != NULL) {
        char path[512], sub[512], tu[600];
        struct stat st;
        size_t n = strlen(e->d_name);

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        snprintf(sub, sizeof(sub), "%s_%s", rel, e->d_name);
        cr_assert_eq(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            check_dir(path, sub);
            continue;
        }
        if (n < 3 || strcmp(e->d_name + n - 2, ".h") != 0)
            continue;
        sub[strlen(sub) - 2] = '\0';
        snprintf(tu, sizeof(tu), "tests/unit/abi_hdr/%s.c", sub);
        cr_expect_eq(stat(tu, &st), 0, "%s has no standalone TU %s", path, tu);
    }
    closedir(d);
}

Test(abi_layout, every_header_has_standalone_tu)
{
    check_dir("abi/xen", "xen");
}
