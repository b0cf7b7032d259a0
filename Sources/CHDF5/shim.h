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

#endif
