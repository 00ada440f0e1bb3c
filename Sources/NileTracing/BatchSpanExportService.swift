import Logging
import ServiceLifecycle

/// The one background task that exports spans: it wakes when a full batch is waiting or the
/// schedule delay has passed, and sends what is buffered in batches. On graceful shutdown it
/// exports what is left, one attempt per batch and at most `shutdownBudget` in all, and stops.
public final class BatchSpanExportService: Service, Sendable {
    private let buffer: SpanBuffer
    private let exporter: OTLPHTTPExporter?
    private let scheduleDelay: Duration
    /// The longest shutdown waits for the last export (a receiver that hangs must not hold the process).
    static let shutdownBudget = Duration.seconds(3)

    init(buffer: SpanBuffer, exporter: OTLPHTTPExporter?, scheduleDelay: Duration) {
        self.buffer = buffer
        self.exporter = exporter
        self.scheduleDelay = scheduleDelay
    }

    public func run() async throws {
        // Shutdown cancels the loop, even mid-export (a batch being retried is given up), then
        // what is buffered gets one last attempt.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.waitForBatchOrDelay()
                await self.exportBuffered()
            }
        }
        self.buffer.close()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.exportBuffered(retrying: false) }
            group.addTask { try? await Task.sleep(for: Self.shutdownBudget) }
            await group.next()
            group.cancelAll()
        }
        await self.exporter?.shutdown()
    }

    /// Sends everything buffered now, a batch at a time.
    func exportBuffered(retrying: Bool = true) async {
        while !Task.isCancelled {
            let batch = self.buffer.takeBatch()
            guard !batch.isEmpty else { return }
            await self.exporter?.export(batch, retrying: retrying)
            if batch.count < self.buffer.batchSize { return }
        }
    }

    private func waitForBatchOrDelay() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [buffer] in await buffer.waitForFullBatch() }
            group.addTask { [scheduleDelay] in try? await Task.sleep(for: scheduleDelay) }
            await group.next()
            group.cancelAll()
        }
    }
}
