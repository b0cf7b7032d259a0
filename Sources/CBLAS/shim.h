// OpenBLAS's CBLAS (with openblas_set_num_threads) and netlib LAPACKE.
#ifndef CONDENSE_CBLAS_SHIM_H
#define CONDENSE_CBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
