# test guests build
