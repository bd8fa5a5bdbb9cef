import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The requests being answered right now, so that a stop can wait for them before the
/// database closes under them.
final class InFlightRequests: Sendable {
    private struct State {
        var count = 0
        var lastArrival = ContinuousClock.now
        var stopping = false
    }

    private let state = NIOLockedValueBox(State())

    var current: Int { state.withLockedValue { $0.count } }
    /// Set once a stop has begun: answers then ask clients to close their connection.
    var isStopping: Bool { state.withLockedValue { $0.stopping } }

    func enter() {
        state.withLockedValue {
            $0.count += 1
            $0.lastArrival = ContinuousClock.now
        }
    }

    func leave() { state.withLockedValue { $0.count -= 1 } }

    func beginStopping() { state.withLockedValue { $0.stopping = true } }

    /// Waits until no request has arrived for `quiet` and none is running, or `limit` passes.
    func waitUntilQuiet(for quiet: Duration, before limit: ContinuousClock.Instant) async {
        while ContinuousClock.now < limit {
            let (count, last) = state.withLockedValue { ($0.count, $0.lastArrival) }
            if count == 0, ContinuousClock.now - last >= quiet { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until no request is being answered or `deadline` passes; the requests still
    /// running then.
    func waitUntilIdle(before deadline: ContinuousClock.Instant) async -> Int {
        while true {
            let running = current
            if running == 0 || ContinuousClock.now >= deadline { return running }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Counts every request from the moment it arrives until its answer is ready.
struct InFlightMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let requests = request.application.inFlightRequests
        requests.enter()
        defer { requests.leave() }
        let response = try await next.respond(to: request)
        // While stopping, a client is told to open a new connection for its next request
        // (to another instance behind the proxy), so none is sent on a connection about to close.
        if requests.isStopping { response.headers.replaceOrAdd(name: .connection, value: "close") }
        return response
    }
}

extension Application {
    private struct InFlightRequestsKey: StorageKey {
        typealias Value = InFlightRequests
    }

    var inFlightRequests: InFlightRequests {
        get { storage[InFlightRequestsKey.self] ?? InFlightRequests() }
        set { storage[InFlightRequestsKey.self] = newValue }
    }

    /// Stops serving in an order that loses no request: no new connections are accepted, the
    /// requests already being answered finish (up to `OBSERVATORY_DRAIN_SECONDS`), and only
    /// then do background work and the database stop. Call it after `execute()` returns from
    /// `serve` (on SIGTERM or SIGINT).
    ///
    /// Returns false when requests were still running at the deadline: the caller must then
    /// leave the database open and end the process, since closing it under a running request
    /// would stop the process with a trap instead.
    public func stopServing() async -> Bool {
        let deadline = ContinuousClock.now + .seconds(siteSettings.drainSeconds)
        logger.notice("Stopping: answering the requests under way, then closing.")
        // First, a short time during which answers carry `Connection: close`: a request a client
        // had already sent on a kept-alive connection is read and answered, not cut off.
        inFlightRequests.beginStopping()
        await inFlightRequests.waitUntilQuiet(for: .milliseconds(250), before: min(deadline, ContinuousClock.now + .seconds(2)))
        // Then the listening socket closes, and each connection once its current answer is sent.
        await server.shutdown()
        let left = await inFlightRequests.waitUntilIdle(before: deadline)
        if left > 0 {
            logger.error("Stopping with \(left) request(s) still running after \(siteSettings.drainSeconds) s.")
            return false
        }
        logger.notice("Stopped serving; every request was answered.")
        return true
    }
}
