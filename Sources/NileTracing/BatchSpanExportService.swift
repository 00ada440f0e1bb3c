import Logging
import ServiceLifecycle

/// The one background task that exports spans: it wakes when a full batch is waiting or the
/// schedule delay has passed, and sends what is buffered in batches. On graceful shutdown it
/// exports what is left (each batch within the export timeout) and stops.
public final class BatchSpanExportService: Service, Sendable {
    private let buffer: SpanBuffer
    private let exporter: OTLPHTTPExporter?
    private let scheduleDelay: Duration

    init(buffer: SpanBuffer, exporter: OTLPHTTPExporter?, scheduleDelay: Duration) {
        self.buffer = buffer
        self.exporter = exporter
        self.scheduleDelay = scheduleDelay
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !self.buffer.isClosed && !Task.isCancelled {
                await self.waitForBatchOrDelay()
                await self.exportBuffered()
            }
        } onGracefulShutdown: {
            self.buffer.close()
        }
        await self.exportBuffered()
        await self.exporter?.shutdown()
    }

    /// Sends everything buffered now, a batch at a time.
    func exportBuffered() async {
        while true {
            let batch = self.buffer.takeBatch()
            guard !batch.isEmpty else { return }
            await self.exporter?.export(batch)
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
