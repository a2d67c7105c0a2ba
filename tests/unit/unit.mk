# SPDX-License-Identifier: MIT
# Unit tests of the hypervisor core (others register in their own fragment).

$(eval $(call unit_test,test_elf,tests/unit/test_elf.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))
$(eval $(call unit_test,test_gmem,tests/unit/test_gmem.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))
$(eval $(call unit_test,test_mm,tests/unit/test_mm.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))
$(eval $(call unit_test,test_time,tests/unit/test_time.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))
$(eval $(call unit_test,test_evtchn,tests/unit/test_evtchn.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))
$(eval $(call unit_test,test_upcall,tests/unit/test_upcall.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))
$(eval $(call unit_test,test_gnttab,tests/unit/test_gnttab.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))
$(eval $(call unit_test,test_procmaps,tests/unit/test_procmaps.c hypervisor/procmaps.c hypervisor/log.c,))
$(eval $(call unit_test,test_evtchn_link,tests/unit/test_evtchn_link.c tests/unit/elf_fixture.c $(VENEERD_CORE_SRCS),-lpthread))

# make fuzz: the ELF loader under libFuzzer (tests/fuzz/run-fuzz-elf.sh).
FUZZ_SCRIPTS += tests/fuzz/run-fuzz-elf.sh
$(BUILD)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c hypervisor/elf_load.c \
    hypervisor/log.c hypervisor/veneerd.h
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -Iabi \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -o $@ tests/fuzz/fuzz_elf.c hypervisor/elf_load.c hypervisor/log.c
# make fuzz: random hypercalls from the chaos guest with fresh seeds.
FUZZ_SCRIPTS += tests/fuzz/run-chaos.sh
