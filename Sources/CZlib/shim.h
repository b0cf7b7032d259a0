// zlib, for gzip-compressed IDX files and deflated .npz members (Training's Inflate.swift).
#include <zlib.h>
