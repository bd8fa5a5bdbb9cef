import Foundation

/// How the site sends mail: through an SMTP server, or (when none is configured) into files
/// in the data directory, which suits development and trying the site out.
public struct MailSettings: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        /// Plain connection upgraded with STARTTLS before anything secret is sent (port 587).
        case starttls
        /// TLS from the first byte (port 465).
        case tls
        /// No encryption: only for a relay on the same machine.
        case none
    }

    public struct SMTP: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var security: Security
        public var username: String?
        public var password: String?
        /// A PEM file of certificate authorities to trust instead of the system's.
        public var certificateAuthorityFile: String?

        public init(host: String, port: Int = 587, security: Security = .starttls, username: String? = nil,
                    password: String? = nil, certificateAuthorityFile: String? = nil) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.password = password
            self.certificateAuthorityFile = certificateAuthorityFile
        }
    }

    /// The sender of every mail, e.g. `Observatory <no-reply@example.org>`.
    public var from = "Observatory <no-reply@localhost>"
    public var smtp: SMTP?
    /// Where mails go when no SMTP server is set.
    public var directory: String?
    /// Where messages from the contact form go; editors' addresses when unset.
    public var contactAddress: String?

    public init() {}

    /// The folder for mails inside the data directory, used when `directory` is not set. A
    /// file-system path, not an address of the site.
    static func defaultDirectory(in dataDirectory: String) -> String {
        [dataDirectory, "mail"].joined(separator: "/")
    }

    static func fromEnvironment(_ value: (String) -> String?, dataDirectory: String) throws -> MailSettings {
        var settings = MailSettings()
        if let from = value("OBSERVATORY_MAIL_FROM") { settings.from = from }
        settings.contactAddress = value("OBSERVATORY_CONTACT_EMAIL")
        settings.directory = defaultDirectory(in: dataDirectory)
        guard let host = value("OBSERVATORY_SMTP_HOST") else { return settings }
        var smtp = SMTP(host: host)
        if let security = value("OBSERVATORY_SMTP_SECURITY") {
            guard let parsed = Security(rawValue: security.lowercased()) else {
                throw ConfigurationError.outOfRange(variable: "OBSERVATORY_SMTP_SECURITY", value: security, range: "starttls, tls, none")
            }
            smtp.security = parsed
            if parsed == .tls { smtp.port = 465 }
        }
        if let port = value("OBSERVATORY_SMTP_PORT") {
            guard let number = Int(port), (1...65_535).contains(number) else {
                throw ConfigurationError.outOfRange(variable: "OBSERVATORY_SMTP_PORT", value: port, range: "1…65535")
            }
            smtp.port = number
        }
        smtp.username = value("OBSERVATORY_SMTP_USERNAME")
        smtp.password = value("OBSERVATORY_SMTP_PASSWORD")
        if smtp.username != nil, smtp.password == nil {
            throw ConfigurationError.missing(variable: "OBSERVATORY_SMTP_PASSWORD", because: "OBSERVATORY_SMTP_USERNAME is set")
        }
        smtp.certificateAuthorityFile = value("OBSERVATORY_SMTP_CA_FILE")
        settings.smtp = smtp
        return settings
    }
}
