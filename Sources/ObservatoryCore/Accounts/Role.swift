/// What a signed-in person may do on the site. Visitors (not signed in) have no role.
public enum Role: String, CaseIterable, Sendable, Codable, Comparable {
    /// Submits to calls and edits their own submissions and those they are invited to.
    case contributor
    /// Reviews submissions, publishes, manages content and vocabularies, approves accounts.
    case editor
    /// Manages accounts, roles and site settings.
    case admin

    private var rank: Int {
        switch self {
        case .contributor: 0
        case .editor: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    public var nameKey: String { "role.\(rawValue)" }
}

/// Where an account stands.
public enum AccountStatus: String, CaseIterable, Sendable, Codable {
    /// Waiting for an editor's approval: can sign in and manage the account, not contribute.
    case pending
    case active
    /// Refused at approval: can sign in only to read why.
    case rejected
    /// Shut off by an administrator: cannot sign in.
    case suspended

    public var nameKey: String { "accountStatus.\(rawValue)" }
}

/// The account behind a request, as far as permissions are concerned.
public struct Standing: Sendable, Equatable {
    public let role: Role
    public let status: AccountStatus
    public let emailVerified: Bool

    public init(role: Role, status: AccountStatus, emailVerified: Bool) {
        self.role = role
        self.status = status
        self.emailVerified = emailVerified
    }
}

/// Who may use a route. Every route of the site declares one.
public enum AccessLevel: String, CaseIterable, Sendable, Comparable {
    /// Anyone, signed in or not.
    case everyone
    /// Anyone signed in, whatever the account's status (their own account pages).
    case signedIn
    /// Approved accounts with a verified address: submitting and editing submissions.
    case contributor
    case editor
    case admin

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool { lhs.rank < rhs.rank }

    /// The answer for someone with `standing` (nil when not signed in).
    public func decide(for standing: Standing?) -> AccessDecision {
        if self == .everyone { return .allowed }
        guard let standing else { return .signInRequired }
        switch self {
        case .everyone, .signedIn:
            return .allowed
        case .contributor, .editor, .admin:
            // Staff act on their role alone; contributors also need an approved, verified account.
            let needed: Role = self == .admin ? .admin : self == .editor ? .editor : .contributor
            guard standing.role >= needed else { return .forbidden(.role) }
            if standing.role >= .editor { return standing.status == .active ? .allowed : .forbidden(.notApproved) }
            guard standing.status == .active else { return .forbidden(.notApproved) }
            guard standing.emailVerified else { return .forbidden(.emailNotVerified) }
            return .allowed
        }
    }
}

public enum AccessDecision: Sendable, Equatable {
    case allowed
    case signInRequired
    case forbidden(Refusal)

    public enum Refusal: String, Sendable {
        case role
        case notApproved
        case emailNotVerified

        public var messageKey: String { "access.refused.\(rawValue)" }
    }
}
