#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
// glibc's allocator settings (mallopt), for the gateway's process start.
#include <malloc.h>
#endif
