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
    /// Failed sign-ins from one client address, to any account. Successful ones never count,
    /// so colleagues behind one office address are not turned away for signing in.
    public static let signInFailuresPerAddress = RateLimitRule(name: "sign-in-ip-failed", limit: 30, window: 900)
    /// Failed sign-ins to one account from one client address. Only that client is stopped
    /// for that account: nobody can lock an account's owner out by failing on purpose
    /// from elsewhere.
    public static let signInFailuresPerAccountAndAddress = RateLimitRule(name: "sign-in-account-ip", limit: 5, window: 900)

    /// Wrong current passwords given by a signed-in account when changing its password.
    public static let passwordChangeFailuresPerAccount = RateLimitRule(name: "password-change-account", limit: 5, window: 900)

    /// The key of `signInFailuresPerAccountAndAddress`.
    public static func accountAndAddress(_ accountKey: String, _ address: String) -> String { accountKey + "|" + address }
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
