/* The first hidden layer's two products of condense's small-layer path for 5-50-1 on n = 80 (Z = A·Wᵀ from the
 * transposed copy, ∂Wᵀ = Aᵀ·δ), once per network against once for K networks stacked side by side (what a seed batch
 * could do when every network had the same inputs): are the bits the same, and is it faster? Built and run by
 * stacked-products.sh against the system OpenBLAS that condense links. */
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cblas.h>
/* Per-network products of the small-layer path against one stacked product: same bits? */
static int check(int K) {
  int n = 80, k = 6, m = 50, bad = 0, badg = 0;
  double *A = malloc(sizeof(double) * n * k), *Wt = malloc(sizeof(double) * k * m * K);
  double *Z1 = calloc(n * m * K, sizeof(double)), *Z2 = calloc(n * m * K, sizeof(double));
  double *D = malloc(sizeof(double) * n * m * K), *G1 = calloc(k * m * K, sizeof(double)), *G2 = calloc(k * m * K, sizeof(double));
  srand(1);
  for (int i = 0; i < n * k; i++) A[i] = rand() / (double)RAND_MAX - 0.5;
  for (int i = 0; i < k * m * K; i++) Wt[i] = (rand() / (double)RAND_MAX - 0.5) * 0.01;
  for (int i = 0; i < n * m * K; i++) D[i] = (rand() / (double)RAND_MAX - 0.5) * 1e-3;
  /* forward: Z_j = A (n x k) * Wt_j (k x m), Wt stacked column blocks with ld = m*K */
  for (int j = 0; j < K; j++) {
    double *w = malloc(sizeof(double) * k * m), *z = calloc(n * (m + 1), sizeof(double));
    for (int r = 0; r < k; r++) memcpy(w + r * m, Wt + r * m * K + j * m, 8 * m);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, k, 1.0, A, k, w, m, 0.0, z, m + 1);
    for (int r = 0; r < n; r++) memcpy(Z1 + r * m * K + j * m, z + r * (m + 1), 8 * m);
    free(w); free(z);
  }
  cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m * K, k, 1.0, A, k, Wt, m * K, 0.0, Z2, m * K);
  for (int i = 0; i < n * m * K; i++) if (memcmp(Z1 + i, Z2 + i, 8)) bad++;
  /* backward: G_j = A^T (k x n) * D_j (n x m) */
  for (int j = 0; j < K; j++) {
    double *d = malloc(sizeof(double) * n * m), *g = calloc(k * m, sizeof(double));
    for (int r = 0; r < n; r++) memcpy(d + r * m, D + r * m * K + j * m, 8 * m);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, m, n, 1.0, A, k, d, m, 0.0, g, m);
    for (int r = 0; r < k; r++) memcpy(G1 + r * m * K + j * m, g + r * m, 8 * m);
    free(d); free(g);
  }
  cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, m * K, n, 1.0, A, k, D, m * K, 0.0, G2, m * K);
  for (int i = 0; i < k * m * K; i++) if (memcmp(G1 + i, G2 + i, 8)) badg++;
  printf("K = %3d: stacked against per-network products, forward %d of %d entries differ, weight gradient %d of %d\n", K, bad, n * m * K, badg, k * m * K);
  return bad + badg;
}
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
static void timing(void) {
  int n = 80, k = 6, m = 50, K = 16, R = 20000;
  double *A = calloc(n * k, 8), *W = calloc(k * m * K, 8), *Z = calloc(n * m * K, 8), *D = calloc(n * m * K, 8), *G = calloc(k * m * K, 8);
  for (int i = 0; i < n * k; i++) A[i] = 0.1 * i;
  double t0 = now();
  for (int r = 0; r < R; r++) for (int j = 0; j < K; j++) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m, k, 1.0, A, k, W + j * k * m, m, 0.0, Z + j * n * (m), m);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, m, n, 1.0, A, k, D + j * n * m, m, 0.0, G + j * k * m, m);
  }
  double t1 = now();
  for (int r = 0; r < R; r++) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, m * K, k, 1.0, A, k, W, m * K, 0.0, Z, m * K);
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, k, m * K, n, 1.0, A, k, D, m * K, 0.0, G, m * K);
  }
  double t2 = now();
  printf("per network-step, both first-layer products: separate %.3f us, stacked %.3f us\n", (t1 - t0) / R / K * 1e6, (t2 - t1) / R / K * 1e6);
}

int main(void) {
  int differ = 0;
  int ks[] = {2, 16, 64, 256};
  for (int i = 0; i < 4; i++) differ += check(ks[i]);
  timing();
  return differ != 0;
}
