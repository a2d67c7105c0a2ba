# no benchmarks yet
