// The HDF5 C macros that Swift cannot import, as static inline functions.
#ifndef CONDENSE_CHDF5_SHIM_H
#define CONDENSE_CHDF5_SHIM_H
#include <hdf5.h>
#include <hdf5_hl.h>

static inline hid_t ch5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t ch5_native_float(void)  { return H5T_NATIVE_FLOAT; }
static inline hid_t ch5_native_int32(void)  { return H5T_NATIVE_INT32; }
static inline hid_t ch5_native_int64(void)  { return H5T_NATIVE_INT64; }
static inline hid_t ch5_native_uint8(void)  { return H5T_NATIVE_UINT8; }
static inline hid_t ch5_ieee_f64le(void)    { return H5T_IEEE_F64LE; }
static inline hid_t ch5_ieee_f32le(void)    { return H5T_IEEE_F32LE; }
static inline hid_t ch5_std_i64le(void)     { return H5T_STD_I64LE; }
static inline hid_t ch5_std_i32le(void)     { return H5T_STD_I32LE; }
static inline hid_t ch5_std_u8le(void)      { return H5T_STD_U8LE; }
static inline hid_t ch5_c_s1(void)          { return H5T_C_S1; }

static inline hid_t ch5_p_default(void)          { return H5P_DEFAULT; }
static inline hid_t ch5_e_default(void)          { return H5E_DEFAULT; }
static inline hid_t ch5_p_file_create(void)      { return H5P_FILE_CREATE; }
static inline hid_t ch5_p_file_access(void)      { return H5P_FILE_ACCESS; }
static inline hid_t ch5_p_dataset_create(void)   { return H5P_DATASET_CREATE; }
static inline hid_t ch5_p_dataset_access(void)   { return H5P_DATASET_ACCESS; }
static inline hid_t ch5_p_dataset_xfer(void)     { return H5P_DATASET_XFER; }
static inline hid_t ch5_p_group_create(void)     { return H5P_GROUP_CREATE; }
static inline hid_t ch5_p_link_create(void)      { return H5P_LINK_CREATE; }
static inline hid_t ch5_p_attribute_create(void) { return H5P_ATTRIBUTE_CREATE; }

static inline unsigned ch5_acc_rdonly(void)     { return H5F_ACC_RDONLY; }
static inline unsigned ch5_acc_rdwr(void)       { return H5F_ACC_RDWR; }
static inline unsigned ch5_acc_trunc(void)      { return H5F_ACC_TRUNC; }
static inline unsigned ch5_acc_excl(void)       { return H5F_ACC_EXCL; }
static inline unsigned ch5_acc_swmr_write(void) { return H5F_ACC_SWMR_WRITE; }
static inline unsigned ch5_acc_swmr_read(void)  { return H5F_ACC_SWMR_READ; }

static inline hsize_t ch5_unlimited(void)   { return H5S_UNLIMITED; }
static inline size_t  ch5_variable(void)    { return H5T_VARIABLE; }
static inline H5F_libver_t ch5_libver_latest(void) { return H5F_LIBVER_LATEST; }
static inline unsigned ch5_obj_all(void)    { return H5F_OBJ_ALL; }

// The file descriptor behind a file opened with the default sec2 driver (its VFD handle), or -1 with another driver.
static inline int ch5_sec2_descriptor(hid_t file) {
    hid_t fapl = H5Fget_access_plist(file);
    if (fapl < 0) return -1;
    hid_t driver = H5Pget_driver(fapl);
    H5Pclose(fapl);
    if (driver != H5FD_SEC2) return -1;
    void *handle = 0;
    if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || handle == 0) return -1;
    return *(int *)handle;
}

// The user-block size of an open file (HDF5 addresses are offsets from its end), or -1.
static inline long long ch5_userblock_size(hid_t file) {
    hid_t fcpl = H5Fget_create_plist(file);
    if (fcpl < 0) return -1;
    hsize_t size = 0;
    herr_t status = H5Pget_userblock(fcpl, &size);
    H5Pclose(fcpl);
    return status < 0 ? -1 : (long long)size;
}

// A second descriptor on `path` for writing past the page cache (Linux O_DIRECT), or -1 (elsewhere, or when the
// file system refuses it, as tmpfs does). Close it with close(2).
// (O_DIRECT is hidden without _GNU_SOURCE, which Swift's Glibc module is built without: its Linux value per
// architecture.)
#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <fcntl.h>
#if defined(__x86_64__)
#define CH5_O_DIRECT 040000
#else
#define CH5_O_DIRECT 0200000
#endif
#endif
static inline int ch5_open_direct(const char *path) {
#ifdef CH5_O_DIRECT
    return open(path, O_WRONLY | CH5_O_DIRECT | O_CLOEXEC);
#else
    (void)path;
    return -1;
#endif
}

// Whether a dataset-creation property list allocates chunks when the dataset is extended, writes no fill values
// and has no filters: the chunks a direct write may fill byte for byte.
static inline int ch5_is_raw_preallocated(hid_t dcpl) {
    H5D_alloc_time_t alloc;
    H5D_fill_time_t fill;
    if (H5Pget_alloc_time(dcpl, &alloc) < 0 || H5Pget_fill_time(dcpl, &fill) < 0) return 0;
    return alloc == H5D_ALLOC_TIME_EARLY && fill == H5D_FILL_TIME_NEVER && H5Pget_nfilters(dcpl) == 0;
}

// An exclusive open-file-description lock (Linux F_OFD_SETLK) on the whole of the file behind `fd`, without
// waiting: 0 when taken, -1 with errno EAGAIN/EACCES when another open file description holds it. Such locks
// belong to the open file description, not to the process: they conflict between two opens in one process,
// survive the closing of other descriptors of the file, and are independent of the flock() locks HDF5 takes (and
// drops in SWMR-write mode). Returns -1 with errno EINVAL where they do not exist.
// (F_OFD_SETLK is hidden without _GNU_SOURCE, like O_DIRECT above: its Linux value, the same on every
// architecture.)
#include <errno.h>
#if defined(__linux__)
#include <fcntl.h>
#endif
static inline int ch5_ofd_try_lock(int fd) {
#if defined(__linux__)
    struct flock lock = {0};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 0;
    return fcntl(fd, 37 /* F_OFD_SETLK */, &lock);
#else
    (void)fd;
    errno = EINVAL;
    return -1;
#endif
}

// Reserves the disk blocks of the file of `fd` up to `length` bytes without changing its size (Linux fallocate with
// FALLOC_FL_KEEP_SIZE): 0 when done, -1 with errno (ENOSPC: the disk is full; EOPNOTSUPP, ENOSYS, EINVAL: this
// file system or system cannot). Writes into reserved blocks cannot fail for want of space.
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif
static inline int ch5_reserve(int fd, long long length) {
#if defined(__linux__) && defined(SYS_fallocate)
    return (int)syscall(SYS_fallocate, fd, 1 /* FALLOC_FL_KEEP_SIZE */, (long long)0, length);
#else
    (void)fd; (void)length;
    errno = EOPNOTSUPP;
    return -1;
#endif
}


// Dimension scales attached in bulk (see H5Dataset+DimensionScaleAttachments.swift): the same attributes as the
// high-level H5DSattach_scale writes, in one write each instead of a rewrite per attachment.
// An object reference to the object `loc` itself (H5DSattach_scale's `H5Rcreate(&ref, id, ".", H5R_OBJECT, -1)`).
static inline herr_t ch5_reference_to_self(hid_t loc, hobj_ref_t *ref) {
    return H5Rcreate(ref, loc, ".", H5R_OBJECT, (hid_t)-1);
}
static inline hid_t ch5_std_ref_obj(void) { return H5T_STD_REF_OBJ; }
// One REFERENCE_LIST entry, laid out as the high-level library's own `ds_list_t`.
typedef struct { hobj_ref_t ref; unsigned int dim_idx; } ch5_ds_list_t;
// REFERENCE_LIST's compound type, built as H5DSattach_scale builds it ("dataset", "dimension").
static inline hid_t ch5_reference_list_type(void) {
    hid_t tid = H5Tcreate(H5T_COMPOUND, sizeof(ch5_ds_list_t));
    if (tid < 0) return tid;
    if (H5Tinsert(tid, "dataset", HOFFSET(ch5_ds_list_t, ref), H5T_STD_REF_OBJ) < 0 ||
        H5Tinsert(tid, "dimension", HOFFSET(ch5_ds_list_t, dim_idx), H5T_NATIVE_INT) < 0) {
        H5Tclose(tid);
        return -1;
    }
    return tid;
}

#endif
