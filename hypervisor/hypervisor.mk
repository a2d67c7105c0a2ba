# SPDX-License-Identifier: MIT
# veneerd and the domain stub.

VENEERD_SRCS := hypervisor/main.c hypervisor/run.c hypervisor/log.c \
    hypervisor/elf_load.c \
    hypervisor/frames.c hypervisor/domain.c hypervisor/builder_x86.c \
    hypervisor/hypercall_page.c hypervisor/pagetable_x86.c \
    hypervisor/gmem.c hypervisor/hypercall.c hypervisor/hc_version.c \
    hypervisor/hc_console.c hypervisor/hc_sched.c hypervisor/hc_memory.c \
    hypervisor/hc_vm_assist.c hypervisor/console.c hypervisor/crash_dump.c \
    hypervisor/platform_trap.c hypervisor/mm_pv.c hypervisor/mm_realise.c \
    hypervisor/hc_mmu.c hypervisor/mm_balloon.c hypervisor/daemon.c \
    hypervisor/control.c hypervisor/control_evtchn.c \
    hypervisor/daemon_store.c hypervisor/time.c hypervisor/timer.c hypervisor/evtchn_2l.c \
    hypervisor/evtchn.c hypervisor/evtchn_link.c hypervisor/evtchn_dom0.c \
    hypervisor/evtchn_fast.c hypervisor/upcall.c hypervisor/bounce_x86.c \
    hypervisor/vcpu.c hypervisor/sched_block.c hypervisor/trap_x86.c \
    hypervisor/cpuid_x86.c hypervisor/hc_trap.c hypervisor/hc_callback.c \
    hypervisor/hc_vcpu.c hypervisor/emul_x86.c hypervisor/runstate.c \
    hypervisor/gnttab.c hypervisor/gnttab_pin.c hypervisor/gnttab_map.c \
    hypervisor/procmaps.c \
    hypervisor/gnttab_copy.c hypervisor/gnttab_dom0.c

# The hypervisor core without the command line and the daemon, for unit
# tests.
VENEERD_CORE_SRCS := $(filter-out hypervisor/main.c hypervisor/run.c \
    hypervisor/daemon.c hypervisor/control.c hypervisor/control_evtchn.c \
    hypervisor/daemon_store.c,$(VENEERD_SRCS))

STUB_SRCS := hypervisor/stub/stub_entry.S hypervisor/stub/stub_main.c \
    hypervisor/stub/stub_sys.c hypervisor/stub/stub_seccomp.c \
    hypervisor/stub/stub_trap.c hypervisor/stub/stub_evtchn.c

BINS += $(BUILD)/bin/veneerd $(BUILD)/libexec/veneer-stub

$(eval $(call host_prog,$(BUILD)/bin/veneerd,$(VENEERD_SRCS),-lpthread))
# The daemon tells vstored about domains it tears down (daemon_store.c).
$(BUILD)/bin/veneerd: $(BUILD)/lib/libvstore.a

$(BUILD)/libexec/veneer-stub: $(call objs_of,sobj,$(STUB_SRCS)) hypervisor/stub/stub.ld
	@mkdir -p $(dir $@)
	$(CC) -nostdlib -static -no-pie -Wl,-T,hypervisor/stub/stub.ld \
	    -Wl,--build-id=none -Wl,-z,noexecstack -Wl,-z,max-page-size=4096 \
	    -o $@ $(call objs_of,sobj,$(STUB_SRCS))
