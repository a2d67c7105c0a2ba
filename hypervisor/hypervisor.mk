# hypervisor build
