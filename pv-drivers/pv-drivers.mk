# guest runtime build
