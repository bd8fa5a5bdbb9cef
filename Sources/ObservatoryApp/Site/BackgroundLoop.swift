import NIOConcurrencyHelpers
import Vapor

/// Work the server does besides answering requests, every `interval` while it runs: started
/// when the application boots, cancelled (and awaited) when it shuts down. A round that fails
/// is logged and the next one tries again.
final class BackgroundLoop: LifecycleHandler, Sendable {
    let name: String
    let interval: Duration
    let round: @Sendable (Application) async throws -> Void
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(_ name: String, every interval: Duration, round: @escaping @Sendable (Application) async throws -> Void) {
        self.name = name
        self.interval = interval
        self.round = round
    }

    func didBootAsync(_ application: Application) async throws {
        let (name, interval, round, logger) = (name, interval, round, application.logger)
        let started = Task { [weak application] in
            while !Task.isCancelled {
                guard let application else { return }
                do {
                    try await round(application)
                } catch {
                    logger.warning("\(name): \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
        task.withLockedValue { $0 = started }
    }

    func shutdownAsync(_ application: Application) async {
        let running = task.withLockedValue { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}
