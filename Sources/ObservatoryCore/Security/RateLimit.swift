/// A limit on how often something may happen: at most `limit` times per `window` seconds
/// for one key (an IP address or an account), counted in fixed windows.
public struct RateLimitRule: Sendable, Equatable {
    public let name: String
    public let limit: Int
    public let window: Int64

    public init(name: String, limit: Int, window: Int64) {
        self.name = name
        self.limit = limit
        self.window = window
    }

    /// The start of the window that `now` falls in.
    public func windowStart(at now: Int64) -> Int64 { now - ((now % window) + window) % window }

    /// Seconds until the window that `now` falls in ends.
    public func retryAfter(at now: Int64) -> Int64 { windowStart(at: now) + window - now }

    /// The stored bucket for `key`: the rule's name and the key, so rules never share counts.
    public func bucket(for key: String) -> String { name + ":" + key }
}

/// The site's limits on forms that attackers and spammers use.
public enum RateLimits {
    /// Sign-in attempts from one address.
    public static let signInPerAddress = RateLimitRule(name: "sign-in-ip", limit: 30, window: 900)
    /// Failed sign-ins to one account, from anywhere.
    public static let signInFailuresPerAccount = RateLimitRule(name: "sign-in-account", limit: 5, window: 900)
    public static let registrationPerAddress = RateLimitRule(name: "register-ip", limit: 5, window: 3_600)
    public static let passwordResetPerAddress = RateLimitRule(name: "reset-ip", limit: 10, window: 3_600)
    /// Reset mails sent to one account, so nobody can flood someone's inbox.
    public static let passwordResetPerAccount = RateLimitRule(name: "reset-account", limit: 3, window: 3_600)
    /// Public forms (contact, and submissions to come) from one address.
    public static let publicFormPerAddress = RateLimitRule(name: "form-ip", limit: 10, window: 3_600)
    /// Public forms sent by one signed-in account.
    public static let publicFormPerAccount = RateLimitRule(name: "form-account", limit: 20, window: 3_600)
    /// Verification and address-change mails asked for by one account.
    public static let accountMailPerAccount = RateLimitRule(name: "account-mail", limit: 5, window: 3_600)
}
