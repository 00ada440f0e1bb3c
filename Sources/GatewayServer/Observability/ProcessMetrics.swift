import Foundation
import Metrics

/// Process metrics in the Prometheus client conventions, read from `/proc/self` when scraped:
/// CPU seconds, resident memory, open file descriptors, start time.
enum ProcessMetrics {
    private static let cpu = Gauge(label: "process_cpu_seconds_total")
    private static let resident = Gauge(label: "process_resident_memory_bytes")
    private static let descriptors = Gauge(label: "process_open_fds")
    private static let start = Gauge(label: "process_start_time_seconds")
    private static let startTime = Date().timeIntervalSince1970

    static func update() {
        self.start.record(self.startTime)
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            // After "(comm)": state is field 3; utime and stime are fields 14 and 15 (clock ticks).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) {
                self.cpu.record((user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
            }
        }
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        {
            self.resident.record(kilobytes * 1024)
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            self.descriptors.record(entries.count)
        }
    }
}
