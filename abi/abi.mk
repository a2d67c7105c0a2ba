# ABI layout test registration (owned by the abi/ work)
