/// Spam checks on public forms that need no third party: a field people never see (a
/// "honeypot") and a minimum time between showing a form and sending it.
public enum FormTiming {
    /// Fewer seconds than this between rendering and submitting a form is taken for a robot.
    public static let minimumFillSeconds: Int64 = 3
    /// A form older than this must be reloaded (its token and stamp are stale).
    public static let maximumAgeSeconds: Int64 = 86_400

    public enum Verdict: Sendable, Equatable {
        case accepted
        /// The hidden field was filled in.
        case honeypotFilled
        /// Sent sooner than a person could.
        case tooFast
        /// The stamp is missing, forged or older than a day.
        case stale
    }

    public static func judge(honeypot: String?, renderedAt: Int64?, now: Int64, minimumSeconds: Int64 = minimumFillSeconds) -> Verdict {
        if let honeypot, !honeypot.isEmpty { return .honeypotFilled }
        guard let renderedAt, renderedAt <= now + 5, now - renderedAt <= maximumAgeSeconds else { return .stale }
        if now - renderedAt < minimumSeconds { return .tooFast }
        return .accepted
    }
}
