#if canImport(Glibc)
import CMalloc
import Glibc
#endif

/// Keeps the memory a request frees for the next one.
///
/// glibc's defaults hand a large freed block (a response buffer, a result tree) back to the kernel
/// and map fresh pages for the next request: about 13 page faults per cached 50-patient query,
/// each a trip into the kernel that zeroes a page. With blocks under 4 MiB taken from the heap
/// and up to 8 MiB of free heap kept per arena, that falls to none (BENCHMARKS.md). An operator's
/// own `GLIBC_TUNABLES` takes precedence: nothing is changed when it is set.
enum MallocTuning {
    static let mmapThreshold: Int32 = 4 << 20
    static let trimThreshold: Int32 = 8 << 20

    static func apply() {
        #if canImport(Glibc)
        guard getenv("GLIBC_TUNABLES") == nil else { return }
        mallopt(M_MMAP_THRESHOLD, Self.mmapThreshold)
        mallopt(M_TRIM_THRESHOLD, Self.trimThreshold)
        #endif
    }
}
