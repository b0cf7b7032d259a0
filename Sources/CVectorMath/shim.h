// Correctly rounded IEEE square roots that compile to one vector instruction (vsqrtpd / fsqrt), and a prefetch hint.
//
// Swift's `Double.squareRoot()` on Linux goes through libm's `sqrt` for its errno contract, so LLVM keeps a
// compare-and-call per lane and never vectorizes it (the compiled Adam update had four scalar vsqrtsd plus
// branches per SIMD4). These inline functions have no errno, so clang emits the vector instruction. The
// results are the same bits: IEEE 754 square root is correctly rounded either way.
#ifndef CONDENSE_CVECTORMATH_SHIM_H
#define CONDENSE_CVECTORMATH_SHIM_H

typedef double condense_double4 __attribute__((ext_vector_type(4)));
typedef double condense_double8 __attribute__((ext_vector_type(8)));

static inline __attribute__((always_inline)) double condense_sqrt(double x) {
    return __builtin_elementwise_sqrt(x);
}

static inline __attribute__((always_inline)) condense_double4 condense_sqrt4(condense_double4 x) {
    return __builtin_elementwise_sqrt(x);
}

static inline __attribute__((always_inline)) condense_double8 condense_sqrt8(condense_double8 x) {
    return __builtin_elementwise_sqrt(x);
}

// A hint to fetch the cache line holding p for writing (x86-64: prefetchw where the target has it, else
// prefetcht0). It never faults, so it may point past the end of an array.
static inline __attribute__((always_inline)) void condense_prefetch_for_write(const void *p) {
    __builtin_prefetch(p, 1, 3);
}

// A hint to fetch the cache line holding p for reading (prefetcht0). It never faults either.
static inline __attribute__((always_inline)) void condense_prefetch_for_read(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#endif
