// OpenBLAS's CBLAS (with openblas_set_num_threads) and netlib LAPACKE.
#ifndef CONDENSE_CBLAS_SHIM_H
#define CONDENSE_CBLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>

// OpenBLAS's own call (not in its headers) that ends its worker threads; its next multi-threaded call starts them
// again. OpenBLAS itself calls it before a fork.
int blas_thread_shutdown_(void);
#endif
