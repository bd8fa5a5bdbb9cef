import Foundation
import ObservatoryCore
import SQLKit
import Vapor

/// Counts attempts in the database, so a limit holds across every app instance.
struct RateLimiter {
    let sql: any SQLDatabase
    let now: Int64
    /// The client address, for the audit log.
    var address: String?

    /// Counts one attempt; throws `TooManyRequests` when the limit is passed.
    func hit(_ rule: RateLimitRule, key: String) async throws {
        let window = rule.windowStart(at: now)
        let hits = try await sql.raw("""
            INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES (\(bind: rule.bucket(for: key)), \(bind: window), 1) \
            ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1 RETURNING hits
            """).first(decodingColumn: "hits", as: Int64.self) ?? 1
        if Int.random(in: 0..<200) == 0 { try await forgetOldWindows() }
        if hits == Int64(rule.limit) + 1 {
            // Logged once per window, so a flood does not turn into a flood of log rows.
            let entry = AuditEntry(.rateLimited, target: AuditEntry.Target(type: "rate-limit", id: rule.name, label: rule.bucket(for: key)),
                                   ip: address, after: ["limit": "\(rule.limit) per \(rule.window) s"])
            try await AuditLog.record(entry, at: now, on: sql)
        }
        if hits > rule.limit { throw TooManyRequests(retryAfter: rule.retryAfter(at: now)) }
    }

    /// Throws `TooManyRequests` if the limit is already reached; counts only requests turned
    /// away (e.g. failed sign-ins are counted by the caller, successful ones not at all).
    func check(_ rule: RateLimitRule, key: String) async throws {
        let hits = try await sql.select().column("hits").from("rate_limit_counters")
            .where("bucket", .equal, rule.bucket(for: key)).where("window_start", .equal, rule.windowStart(at: now))
            .first(decodingColumn: "hits", as: Int64.self)
        if let hits, hits >= rule.limit {
            try await hit(rule, key: key)
        }
    }

    func reset(_ rule: RateLimitRule, key: String) async throws {
        try await sql.delete(from: "rate_limit_counters").where("bucket", .equal, rule.bucket(for: key)).run()
    }

    private func forgetOldWindows() async throws {
        try await sql.delete(from: "rate_limit_counters").where("window_start", .lessThan, now - 2 * 86_400).run()
    }
}

/// 429 with `Retry-After`; the message says how long to wait and nothing about accounts.
struct TooManyRequests: AbortError {
    let retryAfter: Int64
    var status: HTTPResponseStatus { .tooManyRequests }
    var headers: HTTPHeaders { ["Retry-After": String(max(1, retryAfter))] }
    var reason: String {
        let minutes = max(1, (retryAfter + 59) / 60)
        return Localizer.english("rateLimit.message", ["minutes": String(minutes)])
    }
}

extension Request {
    var rateLimiter: RateLimiter {
        get throws { RateLimiter(sql: try sql, now: application.clock.now(), address: clientAddress) }
    }
}
